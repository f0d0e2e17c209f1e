import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mysql } from '../../src/probes/mysql/index.ts';
import { evaluate } from '../../src/assert/evaluate.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import type { AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { MONITOR, startMariaDb, startMariaDbPair, provision, waitFor, type MyPair, type MyServer } from '../support/mysql.ts';
import { refusedPort } from '../support/net.ts';
import { hostileMysql } from '../support/hostile-peers.ts';
import { fallsTo } from '../support/probe-calls.ts';
import { DATA_LIMITS } from '../../src/net/wire-guard.ts';

const observeMysql = await mysql.load();

let pair: MyPair;
before(async () => { pair = await startMariaDbPair(); });
after(async () => { await pair?.stop(); });

function context(timeoutMs = 3000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'mysql-tests' };
}

function observe(input: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeMysql(mysql.spec.parse(input), ctx);
}

/** A spec for the monitor user on a server, plus any keys. */
function on(server: MyServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { url: server.url(), password: MONITOR.password, ...extra };
}

async function observed(input: Record<string, unknown>): Promise<{ observed: Observed; summary: string; notes: readonly string[] }> {
  const result = await observe(input);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return { observed: result.observed, summary: result.summary, notes: result.notes ?? [] };
}

/** Whether an assertion line, as a user writes it, passes against an observation. */
function holds(line: string, seen: Observed): boolean {
  const parsed = parseAssertion(line, mysql.fields);
  assert.ok(parsed.ok, `${line}: ${parsed.ok ? '' : parsed.message}`);
  return evaluate(parsed.assertion, { ...seen, duration: 5 }, mysql.fields).passed;
}

const openTcpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;

test('a healthy primary: connected, primary, writable, one replica streaming; no writable without writeCheck', async () => {
  const plain = await observed(on(pair.primary));
  assert.equal(plain.observed.connected, true);
  assert.match(String(plain.observed.version), /MariaDB/);
  assert.equal(plain.observed.role, 'primary');
  assert.equal(plain.observed.readOnly, false);
  assert.deepEqual(plain.observed.replication, { lag: null, replicas: 1, ioRunning: null, sqlRunning: null });
  assert.equal('writable' in plain.observed, false);
  assert.equal(plain.summary, 'primary, 1 replica');

  const written = await observed(on(pair.primary, { writeCheck: true }));
  assert.equal(written.observed.writable, true, written.notes.join('; '));
  assert.equal(written.summary, 'primary, 1 replica, writable');
  for (const line of ['connected', 'role == "primary"', 'writable', 'replication.replicas >= 1', '!readOnly']) {
    assert.ok(holds(line, written.observed), line);
  }
  const rows = await pair.primary.query('SELECT suite, token FROM app.syncproof_canary');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.suite, 'mysql-tests');
  await observed(on(pair.primary, { writeCheck: { table: 'app.syncproof_canary' } }));
  const again = await pair.primary.query('SELECT token FROM app.syncproof_canary');
  assert.equal(again.length, 1, 'the row is upserted, not added');
  assert.notEqual(again[0]?.token, rows[0]?.token, 'each check writes a fresh token');
});

test('a caught-up replica: replica, both threads running, lag under 2s, read-only', async () => {
  await pair.caughtUp();
  const { observed: seen, summary } = await observed(on(pair.replica));
  assert.equal(seen.role, 'replica');
  assert.equal(seen.readOnly, true);
  const replication = seen.replication as Record<string, unknown>;
  assert.equal(replication.ioRunning, true);
  assert.equal(replication.sqlRunning, true);
  assert.equal(typeof replication.lag, 'number');
  assert.ok(holds('replication.lag < 2s', seen), `lag ${String(replication.lag)}`);
  assert.match(summary, /^replica, lag \d+(ms|\.\ds)$/);
});

test('writeCheck on the replica: not writable, with the server reason; the attempt itself passes', async () => {
  const result = await observe(on(pair.replica, { writeCheck: true }));
  assert.ok(result.ok);
  assert.equal(result.observed.writable, false);
  assert.deepEqual(result.notes, ['write refused: The MariaDB server is running with the --read-only option so it cannot execute this statement']);
  assert.ok(holds('!writable', result.observed));
});

test('a replica whose SQL thread is stopped: sqlRunning false and lag null', async (t) => {
  await pair.stopSqlThread();
  t.after(() => pair.startReplication());
  const { observed: seen, summary } = await observed(on(pair.replica));
  assert.equal(seen.role, 'replica');
  assert.deepEqual(seen.replication, { lag: null, replicas: 0, ioRunning: true, sqlRunning: false });
  assert.ok(holds('!replication.sqlRunning', seen));
  assert.ok(holds('replication.lag == null', seen));
  assert.ok(!holds('replication.lag < 2s', seen));
  assert.equal(summary, 'replica, SQL thread stopped');
});

test('a replica whose IO thread is stopped: ioRunning false; the primary sees no replica', async (t) => {
  await pair.stopIoThread();
  t.after(async () => {
    await pair.startReplication();
    await waitFor(async () => Number((await pair.primary.query("SHOW GLOBAL STATUS LIKE 'Slaves_connected'"))[0]?.Value) >= 1, 'replica back');
  });
  const { observed: seen } = await observed(on(pair.replica));
  assert.equal(seen.role, 'replica', 'a configured replica stays a replica while stopped');
  assert.equal((seen.replication as Record<string, unknown>).ioRunning, false);
  assert.equal((seen.replication as Record<string, unknown>).sqlRunning, true);
  assert.equal((seen.replication as Record<string, unknown>).lag, null, 'the server reports no lag without a connected IO thread');
  await waitFor(async () => {
    const primary = await observed(on(pair.primary));
    return (primary.observed.replication as Record<string, unknown>).replicas === 0;
  }, 'the primary to count 0 replicas');
});

test('a read-only primary: readOnly, and writeCheck is refused by the server for a user without SUPER', async (t) => {
  await pair.setReadOnly(true);
  t.after(() => pair.setReadOnly(false));
  const result = await observe(on(pair.primary, { writeCheck: true }));
  assert.ok(result.ok);
  assert.equal(result.observed.role, 'primary');
  assert.equal(result.observed.readOnly, true);
  assert.equal(result.observed.writable, false);
  assert.match(result.notes?.[0] ?? '', /^write refused: .*--read-only option/);
  assert.equal(result.summary, 'primary (read-only), 1 replica, not writable');
});

test('a write the primary holds (global read lock) is not writable once the timeout passes, within timeout + 1s', async (t) => {
  const release = await pair.blockWrites();
  t.after(release);
  const started = Date.now();
  const result = await observe(on(pair.primary, { writeCheck: true }), context(800));
  const elapsed = Date.now() - started;
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.observed.writable, false);
  assert.deepEqual(result.notes, ['write not committed within 800ms']);
  assert.equal(result.observed.connected, true);
  assert.ok(elapsed < 800 + 1000, `took ${elapsed}ms`);
  await waitFor(async () => (await pair.primary.query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'monitor'")).length === 0,
    'the held write to end on the server', 3000);
});

test('query: rows, row, value, rowCount; decimals and bigints as numbers when exact, text beyond', async () => {
  const { observed: seen, summary } = await observed(on(pair.primary, {
    query: 'SELECT id, name, price, big, huge, SUM(id) OVER () AS total, CAST(1 AS UNSIGNED) AS one FROM items WHERE id >= ? ORDER BY id',
    params: [1],
  }));
  assert.equal(seen.rowCount, 2);
  assert.deepEqual(seen.row, { id: 1, name: 'apple', price: 1.5, big: '9007199254740993', huge: '123456789012345678901234567890', total: 3, one: 1 });
  assert.equal(seen.value, 1);
  assert.deepEqual((seen.rows as Observed[]).map((r) => r.name), ['apple', 'pear']);
  assert.equal(summary, 'primary, 1 replica, 2 rows');
  for (const line of ['value == 1', 'row.name == "apple"', 'rows.length == 2', 'rows[1].price == 2.25', 'rowCount >= 2']) {
    assert.ok(holds(line, seen), line);
  }
  assert.ok(!holds('rows.length == 3', seen));
});

test('query with no rows: row and value are null, rowCount 0', async () => {
  const { observed: seen } = await observed(on(pair.replica, { query: 'SELECT id FROM items WHERE id = ?', params: [99] }));
  assert.deepEqual([seen.rows, seen.row, seen.value, seen.rowCount], [[], null, null, 0]);
});

test('a query still running at the timeout fails as a timeout, and the server ends it too', async () => {
  const started = Date.now();
  const result = await observe(on(pair.primary, { query: 'SELECT SLEEP(20) AS slept' }), context(800));
  // The server's max_statement_time is the attempt's timeout: on a loaded machine it can end the statement just
  // before this process's timer fires. A run words either as the timeout (src/run/attempt.ts); observe says which came first.
  assert.ok(['timeout after 800ms', 'Query execution was interrupted (max_statement_time exceeded)'].includes(result.ok ? '' : result.error), JSON.stringify(result));
  assert.ok(Date.now() - started < 800 + 1000, `took ${Date.now() - started}ms`);
  await waitFor(async () => (await pair.primary.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(20)%'")).length === 0,
    'the sleeping statement to end on the server', 3000);
});

test('a write statement in query is refused by the server, DDL included, and changes nothing', async () => {
  for (const sql of ["UPDATE items SET name = 'x' WHERE id = 1", 'CREATE TABLE sneaky (x INT)', 'DROP TABLE items', 'TRUNCATE items']) {
    const result = await observe(on(pair.primary, { query: sql }));
    assert.deepEqual(result, { ok: false, error: 'Cannot execute statement in a READ ONLY transaction' }, sql);
  }
  const [item] = await pair.primary.query('SELECT name FROM app.items WHERE id = 1');
  assert.equal(item?.name, 'apple');
  assert.deepEqual(await pair.primary.query("SHOW TABLES FROM app LIKE 'sneaky'"), []);
});

test('wrong password: authentication failed, the password is never in the error or the target', async () => {
  const secret = 'Wrong-Secret-9f2';
  const input = { url: pair.primary.url(), password: secret };
  const result = await observe(input);
  assert.deepEqual(result, { ok: false, error: 'authentication failed for user "monitor"', retry: false });
  assert.equal(mysql.target(mysql.spec.parse({ url: `mysql://monitor:${secret}@db:3307/orders` })), 'mysql://monitor@db:3307/orders');
  assert.equal(mysql.target(mysql.spec.parse({ host: '::1', user: 'app', database: 'o' })), 'mysql://app@[::1]:3306/o');
});

test('a user without replication privileges still connects; role and replication are unknown, with a note', async () => {
  await pair.primary.query("CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'reader-pw'; GRANT SELECT ON app.* TO 'reader'@'%'");
  const result = await observe({ url: pair.primary.url('reader'), password: 'reader-pw' });
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.observed.connected, true);
  assert.equal(result.observed.role, null);
  assert.match(result.notes?.[0] ?? '', /^replica status not readable: Access denied; you need .*SLAVE MONITOR/);
});

test('the least privileges in docs/probes/mysql.md suffice for role, replication, writeCheck and query', async () => {
  await pair.primary.query([
    'CREATE TABLE IF NOT EXISTS app.syncproof_canary (suite VARCHAR(191) NOT NULL PRIMARY KEY, token CHAR(36) NOT NULL, written_at DATETIME(3) NOT NULL) ENGINE=InnoDB',
    "CREATE USER IF NOT EXISTS 'least'@'%' IDENTIFIED BY 'least-pw'",
    "GRANT SLAVE MONITOR ON *.* TO 'least'@'%'",
    "GRANT SELECT, INSERT, UPDATE ON app.syncproof_canary TO 'least'@'%'",
    "GRANT SELECT ON app.items TO 'least'@'%'",
  ].join(';'));
  await pair.caughtUp();
  for (const server of [pair.primary, pair.replica]) {
    const { observed: seen, notes } = await observed({ url: server.url('least'), password: 'least-pw', writeCheck: true, query: 'SELECT COUNT(*) FROM items' });
    assert.equal(seen.role, server === pair.primary ? 'primary' : 'replica', notes.join('; '));
    assert.equal(seen.value, 2);
    assert.equal(seen.writable, server === pair.primary, notes.join('; '));
    if (server === pair.primary) assert.equal((seen.replication as Observed).replicas, 1);
    else assert.equal(typeof (seen.replication as Observed).lag, 'number');
  }
});

test('a refused port fails at once, naming the address', async () => {
  const port = await refusedPort();
  const started = Date.now();
  assert.deepEqual(await observe({ host: '127.0.0.1', port, user: 'monitor' }, context(1000)), { ok: false, error: `connection refused (127.0.0.1:${port})` });
  assert.ok(Date.now() - started < 1000 + 1000);
});

test('every attempt releases its connection', async () => {
  // The socket of the test before (a refused connect) may still be closing: count from after it closed.
  await fallsTo(openTcpHandles, 0);
  const before = openTcpHandles();
  const threads = async () => Number((await pair.primary.query("SHOW GLOBAL STATUS LIKE 'Threads_connected'"))[0]?.Value);
  const connectedBefore = await threads();
  for (const input of [on(pair.primary, { writeCheck: true, query: 'SELECT 1' }), on(pair.primary, { query: 'DROP TABLE items' })]) await observe(input);
  assert.equal(openTcpHandles(), before);
  await waitFor(async () => (await threads()) === connectedBefore, 'the server to see the sessions end', 3000);
});

test('a stopped server is refused; TLS: verify with the CA, untrusted without it, require against a plain server', async (t: TestContext) => {
  const server = await startMariaDb({ tls: true, serverId: 9 });
  t.after(() => server.stop());
  await provision(server);
  const verified = await observe(on(server, { ssl: 'verify', ca: server.caPem }));
  assert.ok(verified.ok, verified.ok ? '' : verified.error);
  const ssl = await server.query("SELECT VARIABLE_VALUE AS v FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Ssl_accepts'");
  assert.ok(Number(ssl[0]?.v) >= 1, 'the server accepted a TLS session');
  assert.equal((await observe({ url: `mysql://monitor@localhost:${server.port}/app?ssl-mode=VERIFY_IDENTITY`, password: MONITOR.password, ca: server.caPem })).ok, true);
  const untrusted = await observe(on(server, { ssl: 'verify' }));
  assert.ok(!untrusted.ok);
  assert.equal(untrusted.error, `self-signed certificate in chain (127.0.0.1:${server.port})`);
  assert.equal((await observe(on(server, { ssl: 'require' }))).ok, true);
  assert.deepEqual(await observe(on(server, { ssl: 'require', query: "SELECT REPEAT('x', 9 * 1024 * 1024)" })),
    { ok: false, error: `the server sent a 9.0 MiB packet; syncproof reads at most 8 MiB per packet (127.0.0.1:${server.port})` }, 'the wire is checked inside TLS too');
  assert.deepEqual(await observe(on(pair.primary, { ssl: 'require' })), { ok: false, error: `server does not support TLS (127.0.0.1:${pair.primary.port})` });
  assert.deepEqual(await observe(on(server, { ssl: 'verify', ca: '/nonexistent/ca.pem' })), { ok: false, error: 'CA file not found (/nonexistent/ca.pem)' });
  await server.stop();
  assert.deepEqual(await observe(on(server)), { ok: false, error: `connection refused (127.0.0.1:${server.port})` });
});

test('the spec: url parameters and table names are checked per key; keys beside url win', () => {
  const issues = (input: Record<string, unknown>) => {
    const parsed = mysql.spec.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(issues({ url: 'mysql://a@b/c' }), []);
  assert.deepEqual(issues({ url: 'postgres://a@b/c' }), ['url: must be a mysql:// URL']);
  assert.deepEqual(issues({ url: 'mysql://a@b/c?timeout=3' }), ['url: unknown URL parameter "timeout" (known: ssl-mode, sslmode)']);
  assert.match(issues({ url: 'mysql://a@b/c?ssl-mode=sure' })[0] ?? '', /^url: unknown ssl-mode "sure"/);
  assert.deepEqual(issues({ host: 'b', writeCheck: { table: 'app.canary' } }), []);
  assert.match(issues({ host: 'b', database: 'd', writeCheck: { table: 'x; DROP' } })[0] ?? '', /TABLE or DATABASE.TABLE/);
  const target = (input: Record<string, unknown>) => mysql.target(mysql.spec.parse(input));
  assert.equal(target({ url: 'mysql://a@b:3307/c', port: 3308, database: 'd' }), 'mysql://a@b:3308/d');
  assert.equal(target({}), 'mysql://localhost:3306/');
});

test('writeCheck without a database: the server refuses, observed as not writable', async () => {
  const result = await observe({ host: '127.0.0.1', port: pair.primary.port, user: MONITOR.user, password: MONITOR.password, writeCheck: true });
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.observed.writable, false);
  assert.deepEqual(result.notes, ['write refused: No database selected']);
});

test('rows past the cap are dropped: the first 1000 kept, with a LIMIT of its own or without, and a note says so', async () => {
  const many = 'SELECT seq AS n FROM seq_1_to_5000';
  for (const sql of [many, `${many} LIMIT 4000`]) {
    const result = await observed(on(pair.replica, { query: sql }));
    assert.equal(result.observed.rowCount, DATA_LIMITS.rows, sql);
    assert.deepEqual((result.observed.rows as { n: number }[]).at(-1), { n: DATA_LIMITS.rows });
    assert.deepEqual(result.notes, [`rows cut at ${DATA_LIMITS.rows} (the query returned more)`], sql);
  }
  const exact = await observed(on(pair.replica, { query: `SELECT seq FROM seq_1_to_${DATA_LIMITS.rows}` }));
  assert.equal(exact.observed.rowCount, DATA_LIMITS.rows);
  assert.deepEqual(exact.notes, []);
  const wide = await observed(on(pair.replica, { query: "SELECT seq, REPEAT('x', 1000000) AS filler FROM seq_1_to_20" }));
  assert.equal(wide.observed.rowCount, 8);
  assert.deepEqual(wide.notes, ['rows cut at 8 (the first 8 MiB of text)']);
});

test('a packet past the cap fails with one plain reason before it is buffered: a real 9 MiB value, a hostile peer', async (t) => {
  const before = performance.now();
  const big = await observe(on(pair.replica, { query: "SELECT REPEAT('x', 9 * 1024 * 1024) AS big" }));
  assert.ok(performance.now() - before < 2000, `took ${performance.now() - before}ms`);
  assert.equal(big.ok ? 'observed' : big.error, `the server sent a 9.0 MiB packet; syncproof reads at most 8 MiB per packet (127.0.0.1:${pair.replica.port})`);
  const peer = await hostileMysql();
  t.after(() => peer.close());
  const started = performance.now();
  const hostile = await observe({ url: `mysql://monitor@127.0.0.1:${peer.port}/app` });
  assert.match(hostile.ok ? 'observed' : hostile.error, /^the server sent a packet of over 16\.0 MiB; syncproof reads at most 8 MiB per packet \(127\.0\.0\.1:\d+\)$/);
  assert.ok(performance.now() - started < 1000);
  assert.ok(peer.sent() < 24 * 1024 * 1024, `the probe stopped reading (${peer.sent()} bytes sent)`);
});

test('query or writeCheck as an account with SUPER: a note says what read-only does not stop; the monitor gets none', async () => {
  await pair.primary.query("CREATE USER IF NOT EXISTS 'admin'@'%' IDENTIFIED BY 'admin-Pa55'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%'");
  const admin = await observed({ url: pair.primary.url('admin'), password: 'admin-Pa55', query: 'SELECT 1' });
  assert.deepEqual(admin.notes, ['runs as admin@% with SUPER: read-only stops data writes, not a CALLed procedure that commits or CHANGE MASTER (use a least-privileged user)']);
  const plain = await observed({ url: pair.primary.url('admin'), password: 'admin-Pa55' });
  assert.deepEqual(plain.notes, [], 'no query, no writeCheck: nothing to warn about');
  const monitor = await observed(on(pair.primary, { query: 'SELECT 1', writeCheck: true }));
  assert.deepEqual(monitor.notes, []);
});
