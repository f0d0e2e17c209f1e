// The postgres probe against real PostgreSQL 15 servers: a streaming pair, a password-only server, a TLS server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/assert/parse.ts';
import { evaluate, describeFailure } from '../../src/assert/evaluate.ts';
import { postgres } from '../../src/probes/postgres/index.ts';
import type { Observation, Observed } from '../../src/probes/types.ts';
import { replayedOneTransaction, startPostgres, startPostgresPair, waitFor, type PgPair } from '../support/postgres.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { hostilePostgres, type PgHostility } from '../support/hostile-peers.ts';
import { DATA_LIMITS } from '../../src/net/wire-guard.ts';
import { TOO_DEEP } from '../../src/probes/json-value.ts';

const observePostgres = await postgres.load();

let pair: PgPair;
before(async () => { pair = await startPostgresPair(); });
after(async () => { await pair?.stop(); });

async function observe(input: Record<string, unknown>, timeoutMs = 5000): Promise<Observation & { elapsedMs: number }> {
  const spec = postgres.spec.parse(input);
  const started = performance.now();
  const result = await observePostgres(spec, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, suite: 'orders' });
  return { ...result, elapsedMs: performance.now() - started };
}

function observed(result: Observation): Observed {
  assert.ok(result.ok, `expected an observation, got: ${result.ok ? '' : result.error}`);
  return result.observed;
}

/** Evaluates expect lines the way the runner does; returns the failure lines. */
function failures(seen: Observed, ...lines: string[]): string[] {
  return lines.flatMap((line) => {
    const parsed = parseAssertion(line, postgres.fields);
    assert.ok(parsed.ok, `assertion ${line} does not parse`);
    const result = evaluate(parsed.assertion, seen, postgres.fields);
    return result.passed ? [] : [describeFailure(parsed.assertion, result)];
  });
}

test('a healthy primary: connected, primary, writable, one streaming replica', async () => {
  const result = await observe({ url: pair.primary.url('postgres', 'postgres'), writeCheck: true });
  const seen = observed(result);
  assert.deepEqual(failures(seen, 'connected', 'role == "primary"', '!readOnly', 'writable', 'replication.replicas >= 1', 'version matches /^15\\./'), []);
  assert.equal(typeof (seen['replication'] as { lag: unknown }).lag, 'number');
  assert.match(result.ok ? result.summary : '', /^primary, 1 replica, lag \d+ms, writable$/);
  const rows = await pair.primary.query('SELECT suite FROM syncproof_canary');
  assert.deepEqual(rows, [{ suite: 'orders' }]);
});

test('target() is the url without its password; host/port/user/database keys work as well', async () => {
  const url = `postgresql://postgres:s3cret-pw@127.0.0.1:${pair.primary.port}/postgres?sslmode=disable`;
  assert.equal(postgres.target(postgres.spec.parse({ url })), `postgres://postgres@127.0.0.1:${pair.primary.port}/postgres`);
  const bykeys = postgres.spec.parse({ host: '127.0.0.1', port: pair.replica.port, user: 'postgres', database: 'postgres' });
  assert.equal(postgres.target(bykeys), `postgres://postgres@127.0.0.1:${pair.replica.port}/postgres`);
  assert.equal(observed(await observe(bykeys)).role, 'replica');
  assert.equal(postgres.target(postgres.spec.parse({})), 'postgres://postgres@localhost:5432/postgres', "libpq's defaults");
  assert.equal(postgres.spec.safeParse({ url: 'mysql://x@db/app' }).success, false);
  assert.equal(postgres.spec.safeParse({ url, writeCheck: { table: 'x; DROP TABLE y' } }).success, false);
});

test('a caught-up replica: replica, read-only, lag under 2s, no replicas of its own', async () => {
  await waitFor(async () => {
    const [r] = await pair.replica.query('SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS done');
    return r?.['done'] === true;
  }, 'replica caught up');
  const result = await observe({ url: pair.replica.url() });
  const seen = observed(result);
  assert.deepEqual(failures(seen, 'role == "replica"', 'readOnly', 'replication.lag < 2s', 'replication.replicas == 0'), []);
  assert.equal(seen['writable'], undefined, 'writable is observed only with writeCheck');
  assert.match(result.ok ? result.summary : '', /^replica, lag \d+ms$/);
});

test('replay paused while the primary takes writes: the lag grows and fails; resumed, it passes again', async (t) => {
  await replayedOneTransaction(pair);
  await pair.pauseReplay();
  t.after(() => pair.resumeReplay());
  await pair.primary.query('INSERT INTO ticks VALUES (now())');
  let seen: Observed = {};
  await waitFor(async () => {
    await pair.primary.query('INSERT INTO ticks VALUES (now())');
    seen = observed(await observe({ url: pair.replica.url() }));
    return ((seen['replication'] as { lag: number | null }).lag ?? 0) >= 2500;
  }, 'replica lag above 2.5s', 10_000);
  const [line] = failures(seen, 'replication.lag < 2s');
  assert.match(line ?? '', /^replication\.lag = \d+(\.\d)?s \(expected < 2s\)$/);

  await pair.resumeReplay();
  await waitFor(async () => failures(observed(await observe({ url: pair.replica.url() })), 'replication.lag < 2s').length === 0, 'lag back under 2s');
});

test('writeCheck with a schema-qualified table, upserting one row per suite', async () => {
  await pair.primary.query('CREATE SCHEMA IF NOT EXISTS ops');
  for (let i = 0; i < 2; i++) assert.equal(observed(await observe({ url: pair.primary.url(), writeCheck: { table: 'ops.canary' } }))['writable'], true);
  assert.deepEqual(await pair.primary.query('SELECT suite FROM ops.canary'), [{ suite: 'orders' }]);
});

test('writeCheck on the replica: writable false with the server\'s reason, not an attempt error', async () => {
  const result = await observe({ url: pair.replica.url(), writeCheck: true });
  assert.equal(observed(result)['writable'], false);
  assert.match(result.ok ? (result.notes ?? []).at(-1) ?? '' : '', /^writeCheck: cannot execute .* in a read-only transaction$/);
  assert.match(failures(observed(result), 'writable')[0] ?? '', /^writable = false \(expected true\)$/);
});

test('writeCheck on a primary made read-only: readOnly true, writable false with the reason', async (t) => {
  await pair.makeReadOnly();
  t.after(() => pair.makeWritable());
  const result = await observe({ url: pair.primary.url(), writeCheck: true });
  const seen = observed(result);
  assert.deepEqual(failures(seen, 'role == "primary"', 'readOnly', '!writable'), []);
  assert.match(result.ok ? (result.notes ?? []).join() : '', /read-only transaction/);
});

test('a commit that waits for a missing synchronous standby: writable false within the timeout, saying it committed locally', async (t) => {
  await pair.hangCommits();
  t.after(() => pair.releaseCommits());
  const result = await observe({ url: pair.primary.url(), writeCheck: true }, 2000);
  assert.ok(result.elapsedMs < 3000, `took ${result.elapsedMs}ms`);
  assert.equal(observed(result)['writable'], false);
  const notes = result.ok ? (result.notes ?? []).join() : '';
  assert.match(notes, /synchronous replication/);
  assert.match(notes, /committed locally/);
});

test('query: rows, row, value, rowCount; params; bigint and numeric as numbers when exact', async () => {
  const result = await observe({
    url: pair.replica.url(),
    query: `SELECT n AS x, $1::text AS label, n::bigint * 1000 AS big, (n / 4.0)::numeric(10,2) AS quarter,
                   9007199254740993::bigint AS huge, DATE '2024-02-29' AS day
              FROM generate_series(1, 3) AS n ORDER BY n`,
    params: ['hello'],
  });
  const seen = observed(result);
  assert.deepEqual(failures(seen, 'value == 1', 'row.x == 1', 'row.label == "hello"', 'rows.length == 3', 'rowCount == 3',
    'rows[2].big == 3000', 'rows[1].quarter == 0.5', 'row.huge == "9007199254740993"', 'row.day == "2024-02-29"'), []);
  assert.match(result.ok ? result.summary : '', /, 3 rows$/);
  assert.deepEqual(failures(seen, 'value == 2'), ['value = 1 (expected == 2)']);
  const empty = observed(await observe({ url: pair.replica.url(), query: 'SELECT 1 WHERE false' }));
  assert.deepEqual([empty['rows'], empty['row'], empty['value'], empty['rowCount']], [[], null, null, 0]);
});

test('a write statement in query is refused by the server, even smuggled after a COMMIT', async () => {
  await pair.primary.query('CREATE TABLE IF NOT EXISTS victims (id int)');
  const insert = await observe({ url: pair.primary.url(), query: 'INSERT INTO victims VALUES (1) RETURNING id' });
  assert.deepEqual(insert.ok ? insert : { ok: insert.ok, error: insert.error }, { ok: false, error: 'cannot execute INSERT in a read-only transaction' });
  const smuggled = await observe({ url: pair.primary.url(), query: 'COMMIT; DROP TABLE victims' });
  assert.equal(smuggled.ok, false);
  assert.deepEqual(await pair.primary.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'victims'"), [{ n: 1 }]);
  assert.deepEqual(await pair.primary.query('SELECT count(*)::int AS n FROM victims'), [{ n: 0 }]);
});

test('a monitoring user with only the documented grants observes everything, writes the canary and reads its query', async () => {
  for (const sql of [
    'CREATE ROLE syncproof_monitor LOGIN',
    'GRANT pg_monitor TO syncproof_monitor',
    'CREATE TABLE monitor_canary (suite text PRIMARY KEY, token text NOT NULL, written_at timestamptz NOT NULL)',
    'GRANT SELECT, INSERT, UPDATE ON monitor_canary TO syncproof_monitor',
    'CREATE TABLE deploys (version int)', "INSERT INTO deploys VALUES (7)",
    'GRANT SELECT ON deploys TO syncproof_monitor',
  ]) await pair.primary.query(sql);
  const seen = observed(await observe({ url: pair.primary.url('syncproof_monitor'), writeCheck: { table: 'monitor_canary' }, query: 'SELECT max(version) FROM deploys' }));
  assert.deepEqual(failures(seen, 'role == "primary"', 'writable', 'replication.replicas == 1', 'replication.lag < 2s', 'value == 7'), []);
  await waitFor(async () => (await pair.replica.query("SELECT to_regclass('deploys') IS NOT NULL AS ok"))[0]?.['ok'] === true, 'replicated grants');
  assert.deepEqual(failures(observed(await observe({ url: pair.replica.url('syncproof_monitor') })), 'role == "replica"', 'replication.lag < 2s'), []);

  await pair.primary.query('REVOKE pg_monitor FROM syncproof_monitor');
  const hidden = await observe({ url: pair.primary.url('syncproof_monitor') });
  assert.equal((observed(hidden)['replication'] as { replicas: number }).replicas, 0);
  assert.deepEqual(hidden.ok ? hidden.notes : [], ['1 replication connection(s) hidden from user "syncproof_monitor" (grant pg_monitor)']);
});

test('a query running past the timeout ends within timeout + 1s as a timeout', async () => {
  const result = await observe({ url: pair.primary.url(), query: 'SELECT pg_sleep(10)' }, 1000);
  assert.deepEqual(result.ok ? 'observed' : result.error, 'timeout after 1s');
  assert.ok(result.elapsedMs < 2000, `took ${result.elapsedMs}ms`);
});

test('password auth: a wrong password is a clear authentication error that never shows the password', async (t) => {
  const server = await startPostgres({ passwordAuth: true });
  t.after(() => server.stop());
  await server.query("CREATE ROLE monitor LOGIN PASSWORD 'Right-pw-4711'");
  const url = `postgres://monitor@127.0.0.1:${server.port}/postgres`;
  const wrong = await observe({ url, password: 'Wrong-pw-0815' });
  assert.deepEqual(wrong, { ok: false, error: 'authentication failed for user "monitor"', retry: false, elapsedMs: wrong.elapsedMs });
  const inUrl = await observe({ url: url.replace('monitor@', 'monitor:Wrong-pw-0815@') });
  assert.equal(inUrl.ok ? '' : inUrl.error, 'authentication failed for user "monitor"');
  const missing = await observe({ url });
  assert.equal(missing.ok ? '' : missing.error, 'password required for user "monitor" (the server asked for one)');
  const right = await observe({ url, password: 'Right-pw-4711' });
  assert.equal(observed(right)['connected'], true);
  assert.doesNotMatch(JSON.stringify([wrong, inUrl, missing, right]), /pw-/);
});

test('TLS: require and verify (with the CA) connect; verify without the CA and TLS to a plain server fail plainly', async (t) => {
  const server = await startPostgres({ tls: true });
  t.after(() => server.stop());
  const url = server.url();
  assert.equal(observed(await observe({ url, ssl: 'require' }))['connected'], true);
  assert.equal(observed(await observe({ url: `${url}?sslmode=verify-full`, ca: server.caPem }))['connected'], true);
  assert.equal(observed(await observe({ url: url.replace('127.0.0.1', 'localhost'), ssl: 'verify', ca: server.caPem }))['connected'], true);
  const untrusted = await observe({ url, ssl: 'verify' });
  assert.match(untrusted.ok ? '' : untrusted.error, /^certificate not trusted|self-signed/);
  const big = await observe({ url, ssl: 'require', query: "SELECT repeat('x', 9 * 1024 * 1024)" });
  assert.equal(big.ok ? 'observed' : big.error, `the server sent a 9.0 MiB message; syncproof reads at most 8 MiB per message (127.0.0.1:${server.port})`, 'the wire is checked inside TLS too');
  const plain = await observe({ url: pair.primary.url(), ssl: 'require' });
  assert.equal(plain.ok ? '' : plain.error, `server does not support TLS (127.0.0.1:${pair.primary.port})`);
  const noFile = await observe({ url, ssl: 'verify', ca: '/nonexistent/ca.pem' });
  assert.equal(noFile.ok ? '' : noFile.error, 'CA file not found (/nonexistent/ca.pem)');
});

test('a refused port fails at once with the address', async () => {
  const port = await refusedPort();
  const result = await observe({ host: '127.0.0.1', port }, 2000);
  assert.equal(result.ok ? '' : result.error, `connection refused (127.0.0.1:${port})`);
  assert.ok(result.elapsedMs < 3000);
});

test('a silent listener: timeout within timeout + 1s, and the socket is closed', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const closing = await silentPeer();
  t.after(() => closing.close());
  for (const ssl of ['disable', 'require'] as const) {
    for (const port of [peer.port, closing.port]) {
      const result = await observe({ host: '127.0.0.1', port, ssl }, 1000);
      assert.equal(result.ok ? '' : result.error, 'timeout after 1s');
      assert.ok(result.elapsedMs < 2000, `took ${result.elapsedMs}ms`);
    }
  }
  assert.equal(peer.accepted(), 2);
  assert.equal(closing.accepted(), 2);
  await waitFor(async () => closing.open() === 0, 'the probe to close its sockets', 2000);
});

/** A role that may log in and nothing more, so that no superuser note joins the ones a test looks at. */
async function plainRole(): Promise<string> {
  await pair.primary.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plain_reader') THEN CREATE ROLE plain_reader LOGIN; END IF; END $$");
  await waitFor(async () => (await pair.replica.query("SELECT 1 FROM pg_roles WHERE rolname = 'plain_reader'")).length === 1, 'the role on the replica');
  return pair.replica.url('plain_reader');
}

test('rows past the cap are not fetched: the first 1000 kept, and a note says so', async () => {
  const url = await plainRole();
  const result = await observe({ url, query: 'SELECT n FROM generate_series(1, 5000) AS n ORDER BY n' });
  const seen = observed(result);
  assert.equal(seen['rowCount'], DATA_LIMITS.rows);
  assert.deepEqual((seen['rows'] as { n: number }[]).at(-1), { n: DATA_LIMITS.rows });
  assert.deepEqual(result.ok ? result.notes : [], [`rows cut at ${DATA_LIMITS.rows} (the query returned more)`]);
  const exact = await observe({ url, query: `SELECT n FROM generate_series(1, ${DATA_LIMITS.rows}) AS n` });
  assert.equal(observed(exact)['rowCount'], DATA_LIMITS.rows);
  assert.equal(exact.ok ? exact.notes : 'failed', undefined, 'exactly the cap is not cut');
  const wide = await observe({ url, query: "SELECT n, repeat('x', 1000000) AS filler FROM generate_series(1, 20) AS n" });
  assert.equal(observed(wide)['rowCount'], 8);
  assert.deepEqual(wide.ok ? wide.notes : [], ['rows cut at 8 (the first 8 MiB of text)']);
});

test('query or writeCheck as a superuser: a note says what read-only does not stop; a plain role or no query gets none', async () => {
  const note = 'runs as superuser "postgres": read-only stops data writes, not COPY TO PROGRAM, dblink_exec or replication slots (use a least-privileged role)';
  const asSuper = await observe({ url: pair.replica.url(), query: 'SELECT 1' });
  assert.deepEqual(asSuper.ok ? asSuper.notes : [], [note]);
  assert.ok(asSuper.ok && asSuper.summary.endsWith('1 row'));
  const writing = await observe({ url: pair.primary.url(), writeCheck: true });
  assert.deepEqual(writing.ok ? writing.notes : [], [note]);
  const plain = await observe({ url: pair.primary.url('postgres'), });
  assert.equal(plain.ok ? plain.notes : 'failed', undefined, 'no query, no writeCheck: nothing to warn about');
  const reader = await observe({ url: await plainRole(), query: 'SELECT 1' });
  assert.equal(reader.ok ? reader.notes : 'failed', undefined);
});

test('a jsonb value 2,000 levels deep is kept to the depth cap, the rest marked as cut', async () => {
  const result = await observe({ url: pair.replica.url(), query: "SELECT (repeat('[', 2000) || '1' || repeat(']', 2000))::jsonb AS deep" });
  let value = observed(result)['value'];
  let depth = 0;
  while (Array.isArray(value)) { value = value[0]; depth++; }
  assert.equal(value, TOO_DEEP);
  assert.equal(depth, DATA_LIMITS.depth - 1, 'the row itself is one level');
});

test('hostile servers: an unsupported authentication, 65535 columns, a 2 GiB row each fail with one plain reason', async (t) => {
  const cases: [PgHostility, RegExp][] = [
    ['gssapi', /^server asks for GSSAPI authentication, which syncproof does not support \(127\.0\.0\.1:\d+\)$/],
    ['sspi', /^server asks for SSPI authentication, which syncproof does not support \(127\.0\.0\.1:\d+\)$/],
    ['columns', /^the server sent a result of 65535 columns; PostgreSQL has at most 1664 \(127\.0\.0\.1:\d+\)$/],
    ['huge-row', /^the server sent a 2\.0 GiB message; syncproof reads at most 8 MiB per message \(127\.0\.0\.1:\d+\)$/],
  ];
  for (const [hostility, reason] of cases) {
    const peer = await hostilePostgres(hostility);
    t.after(() => peer.close());
    const result = await observe({ url: `postgres://monitor@127.0.0.1:${peer.port}/orders`, query: 'SELECT 1' }, 3000);
    assert.match(result.ok ? 'observed' : result.error, reason, hostility);
    assert.ok(result.elapsedMs < 1000, `${hostility}: took ${result.elapsedMs}ms`);
    assert.ok(peer.sent() < 16 * 1024 * 1024, `${hostility}: the probe stopped reading (${peer.sent()} bytes sent)`);
  }
});
