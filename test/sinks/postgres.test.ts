import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearSecrets, registerSecret } from '../../src/secrets.ts';
import { deliverAll } from '../../src/sinks/deliver.ts';
import { postgres } from '../../src/sinks/postgres.ts';
import net from 'node:net';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { freePort } from '../support/net.ts';
import { hostilePostgres } from '../support/hostile-peers.ts';
import { startPostgres, waitFor, type PgServer } from '../support/postgres.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

const window = { windowMs: 15_000 };

describe('postgres sink on a plain server', () => {
  let server: PgServer;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  test('one row per run, with the record as jsonb a team can query', async () => {
    const record = sampleRecord('failed');
    const [d] = await deliverAll(record, [sinkConfig('postgres', { url: server.url() })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered');
    assert.equal(d?.target, `postgres://postgres@127.0.0.1:${server.port}/postgres table syncproof_runs`);
    const [row] = await server.query(
      `SELECT id::text, suite, app, revision, verdict, started_at, finished_at,
              record->>'verdict' AS record_verdict,
              record->'probes'->1->>'name' AS second_probe,
              (record #>> '{probes,2,observed,replication,lag}')::int AS lag_ms
         FROM syncproof_runs WHERE id = $1`, [record.id]);
    assert.deepEqual(row, {
      id: record.id, suite: 'orders', app: 'orders', revision: record.app.revision, verdict: 'failed',
      started_at: new Date(record.startedAt), finished_at: new Date(record.finishedAt),
      record_verdict: 'failed', second_probe: 'database connection', lag_ms: 47000,
    });
    const columns = await server.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'syncproof_runs' ORDER BY ordinal_position`);
    assert.deepEqual(columns.map((c) => `${c.column_name} ${c.data_type}`), [
      'id uuid', 'suite text', 'app text', 'revision text', 'verdict text',
      'started_at timestamp with time zone', 'finished_at timestamp with time zone', 'record jsonb',
    ]);
  });

  test('delivering the same run twice keeps one row', async () => {
    const record = sampleRecord('passed');
    const sink = sinkConfig('postgres', { url: server.url() });
    for (let i = 0; i < 2; i++) {
      const [d] = await deliverAll(record, [sink], { ...window, log: memoryLog().log });
      assert.equal(d?.outcome, 'delivered');
    }
    const rows = await server.query('SELECT count(*)::int AS n FROM syncproof_runs WHERE id = $1', [record.id]);
    assert.equal(rows[0]?.n, 1);
  });

  test('a schema-qualified table, created if missing; the connection is closed afterwards', async () => {
    await server.query('CREATE SCHEMA IF NOT EXISTS audit');
    const record = sampleRecord('aborted');
    const [d] = await deliverAll(record, [sinkConfig('postgres', { url: server.url(), table: 'audit.runs' })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered');
    const rows = await server.query('SELECT verdict FROM audit.runs WHERE id = $1', [record.id]);
    assert.deepEqual(rows, [{ verdict: 'aborted' }]);
    await waitFor(async () => (await server.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'syncproof'")).length === 0, 'syncproof connections to close', 3000);
  });

  test('a role allowed only to INSERT into a table made beforehand can record', async () => {
    await server.query('CREATE TABLE evidence_runs (LIKE syncproof_runs INCLUDING ALL)');
    await server.query('CREATE ROLE inserter LOGIN');
    await server.query('GRANT INSERT ON evidence_runs TO inserter');
    const record = sampleRecord();
    const [d] = await deliverAll(record, [sinkConfig('postgres', { url: server.url('inserter'), table: 'evidence_runs' })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered', d?.error ?? '');
    assert.deepEqual(await server.query('SELECT suite FROM evidence_runs WHERE id = $1', [record.id]), [{ suite: 'orders' }]);
  });

  test('the queries in docs/sinks.md run and answer', async () => {
    const docs = readFileSync(new URL('../../docs/sinks.md', import.meta.url), 'utf8');
    const queries = [...docs.slice(docs.indexOf('### Queries')).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.equal(queries.length, 3);
    await server.query('DELETE FROM syncproof_runs');
    const now = Date.now();
    const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
    const older = sampleRecord('passed', { startedAt: at(10), finishedAt: at(9) });
    const newer = sampleRecord('failed', { startedAt: at(2), finishedAt: at(1) });
    await deliverAll(older, [sinkConfig('postgres', { url: server.url() })], { ...window, log: memoryLog().log });
    await deliverAll(newer, [sinkConfig('postgres', { url: server.url() })], { ...window, log: memoryLog().log });

    const [lastRun, failures, lag] = await Promise.all(queries.map((q) => server.query(q)));
    assert.deepEqual(lastRun?.map((r) => [r.app, r.verdict, r.revision]), [['orders', 'failed', '3f2a9c1']]);
    assert.equal(failures?.length, 1);
    assert.equal(failures?.[0]?.failing, 'database connection: timeout after 5s\nreplica lag: replication.lag = 47s (expected < 10s)');
    assert.deepEqual(lag?.map((r) => Number(r.lag_seconds)), [47, 47]);
  });

  test('a missing schema is a failure that retrying will not fix', async () => {
    const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: server.url(), table: 'nowhere.runs' })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'failed');
    assert.equal(d?.attempts, 1);
    assert.match(d?.error ?? '', /schema "nowhere" does not exist/);
  });
});

test('a server nobody listens on is retried, then reported plainly', async () => {
  const port = await freePort();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: `postgres://app@127.0.0.1:${port}/evidence` })], { ...window, log: memoryLog().log });
  assert.equal(d?.attempts, 3);
  assert.equal(d?.error, `connection refused (127.0.0.1:${port})`);
});

test('a server asking for GSSAPI, or sending a 2 GiB row, is one plain failure, not retried', async (t) => {
  for (const [hostility, reason] of [
    ['gssapi', /^server asks for GSSAPI authentication, which syncproof does not support \(127\.0\.0\.1:\d+\)$/],
    ['huge-row', /^the server sent a 2\.0 GiB message; syncproof reads at most 8 MiB per message \(127\.0\.0\.1:\d+\)$/],
  ] as const) {
    const peer = await hostilePostgres(hostility);
    t.after(() => peer.close());
    const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: `postgres://app@127.0.0.1:${peer.port}/evidence` })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'failed');
    assert.match(d?.error ?? '', reason);
    assert.equal(d?.attempts, 1, 'another attempt would meet the same server');
  }
});

/** Accepts, reads whatever comes (so it sees the client hang up) and never answers. */
async function mutePeer(): Promise<{ port: number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}).on('close', () => sockets.delete(socket)).resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('a server that accepts and never speaks is bounded by the window, and the socket is closed', async (t) => {
  const peer = await mutePeer();
  t.after(() => peer.close());
  const started = performance.now();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: `postgres://app@127.0.0.1:${peer.port}/evidence` })], { windowMs: 1000, log: memoryLog().log });
  assert.ok(performance.now() - started < 1000 + 1000);
  assert.equal(d?.error, 'delivery window of 1s closed');
  await waitFor(async () => peer.open() === 0, 'the sink to close its socket', 3000);
});

describe('postgres sink with TLS and password authentication', () => {
  let server: PgServer;
  const password = 'pw-5a4b3c2d1e';
  before(async () => {
    server = await startPostgres({ tls: true, passwordAuth: true });
    await server.query(`CREATE ROLE recorder LOGIN PASSWORD '${password}'`);
    await server.query('GRANT CREATE ON SCHEMA public TO recorder');
  });
  after(() => server?.stop());
  const url = () => `postgres://recorder@localhost:${server.port}/postgres`;

  test('verifies the server against the given CA, over TLS, with the password field', async (t) => {
    t.after(clearSecrets);
    registerSecret(password);
    const { log, lines } = memoryLog();
    const record = sampleRecord();
    const [d] = await deliverAll(record, [sinkConfig('postgres', { url: url(), password, ssl: 'verify', ca: server.caPem })], { ...window, log });
    assert.equal(d?.outcome, 'delivered', d?.error ?? '');
    assert.equal((await server.query('SELECT count(*)::int AS n FROM syncproof_runs WHERE id = $1', [record.id]))[0]?.n, 1);
    for (const line of lines) assert.ok(!line.includes(password), line);
  });

  test('ssl: verify refuses a server its CAs do not trust, without retrying', async () => {
    const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: url(), password, ssl: 'verify' })], { ...window, log: memoryLog().log, attempts: 2 });
    assert.equal(d?.outcome, 'failed');
    assert.equal(d?.attempts, 1);
    assert.match(d?.error ?? '', /self-signed certificate in chain|certificate not trusted/);
  });

  test('a wrong password fails at once, and the URL password is never shown', async () => {
    const [d] = await deliverAll(sampleRecord(), [sinkConfig('postgres', { url: url().replace('recorder@', 'recorder:wrong-one@'), ssl: 'require' })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'failed');
    assert.equal(d?.attempts, 1);
    assert.equal(d?.error, 'authentication failed for user "recorder"');
    assert.ok(!JSON.stringify(d).includes('wrong-one'));
  });

  test('PGPASSWORD and a .pgpass file in the environment are never used: no password given means none', async (t) => {
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    const dir = mkdtempSync(join(tmpdir(), 'syncproof-pgpass-'));
    t.after(() => {
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name]; else process.env[name] = value;
      rmSync(dir, { recursive: true, force: true });
    });
    const pgpass = join(dir, 'pgpass');
    writeFileSync(pgpass, `*:*:*:recorder:${password}\n`, { mode: 0o600 });
    const sink = sinkConfig('postgres', { url: url(), ssl: 'require' });
    for (const env of [{ PGPASSFILE: pgpass }, { PGPASSWORD: password }]) {
      delete process.env.PGPASSWORD;
      delete process.env.PGPASSFILE;
      Object.assign(process.env, env);
      const [d] = await deliverAll(sampleRecord(), [sink], { ...window, log: memoryLog().log });
      assert.equal(d?.outcome, 'failed', Object.keys(env)[0]);
      assert.equal(d?.attempts, 1, 'a missing password is not retried');
      assert.equal(d?.error, 'password required for user "recorder" (the server asked for one)');
    }
  });
});

describe('postgres sink TLS modes, on a server whose certificate names another host', () => {
  let server: PgServer;
  let certs: TestCerts;
  before(async () => {
    [server, certs] = await Promise.all([startPostgres({ tls: true }), makeCerts()]);
    // The CA-signed certificate for wrong.example only, in place of the one for localhost and 127.0.0.1.
    const owner = statSync(server.dataDir);
    for (const [name, text] of [['wrong.crt', certs.wrongHost.cert], ['wrong.key', certs.wrongHost.key]] as const) {
      const path = join(server.dataDir, name);
      writeFileSync(path, text);
      chownSync(path, owner.uid, owner.gid);
      chmodSync(path, 0o600);
    }
    await server.query("ALTER SYSTEM SET ssl_cert_file = 'wrong.crt'");
    await server.query("ALTER SYSTEM SET ssl_key_file = 'wrong.key'");
    await server.query('SELECT pg_reload_conf()');
    // The postmaster reloads its TLS context with its settings: a new backend that sees the setting serves the new cert.
    await waitFor(async () => (await server.query("SELECT current_setting('ssl_cert_file') AS f"))[0]?.f === 'wrong.crt', 'the new certificate');
  });
  after(async () => {
    await server?.stop();
    await certs?.remove();
  });
  const deliver = async (spec: Record<string, unknown>) =>
    (await deliverAll(sampleRecord(), [sinkConfig('postgres', spec)], { ...window, log: memoryLog().log }))[0];

  test('sslmode=verify-ca checks the chain but not the host name, as libpq does', async () => {
    const d = await deliver({ url: `${server.url()}?sslmode=verify-ca`, ca: certs.ca });
    assert.equal(d?.outcome, 'delivered', d?.error ?? '');
  });

  test('verify-ca still refuses a certificate its CA did not sign', async () => {
    const d = await deliver({ url: `${server.url()}?sslmode=verify-ca`, ca: server.caPem });
    assert.equal(d?.outcome, 'failed');
    assert.equal(d?.attempts, 1);
    assert.match(d?.error ?? '', /^certificate not trusted/);
  });

  test('sslmode=verify-full and ssl: verify refuse a certificate for another host name, without retrying', async () => {
    for (const spec of [{ url: `${server.url()}?sslmode=verify-full`, ca: certs.caPath }, { url: server.url(), ssl: 'verify', ca: certs.ca }]) {
      const d = await deliver(spec);
      assert.equal(d?.outcome, 'failed', JSON.stringify(spec));
      assert.equal(d?.attempts, 1);
      assert.equal(d?.error, `certificate does not match host name (127.0.0.1:${server.port})`);
    }
  });
});

test('schema: the table must be a safe, lower-case, optionally schema-qualified name', () => {
  for (const table of ['Runs', 'runs; DROP TABLE x', 'a.b.c', '1runs', '"runs"', '']) {
    assert.equal(postgres.spec.safeParse({ url: 'postgres://db/x', table }).success, false, table);
  }
  assert.equal(postgres.spec.parse({ url: 'postgres://db/x' }).table, 'syncproof_runs');
  assert.equal(postgres.spec.safeParse({ url: 'mysql://db/x' }).success, false);
  assert.equal(postgres.spec.safeParse({ url: 'postgres://db/x', ssl: 'prefer' }).success, false);
});

test('schema: a `ca` that the ssl mode would ignore is refused at ca, as for the postgres probe', () => {
  const only = 'only ssl: verify (or sslmode=verify-full/verify-ca) checks the certificate';
  const issues = (spec: Record<string, unknown>) =>
    postgres.spec.safeParse({ url: 'postgres://db/x', ...spec }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  assert.deepEqual(issues({ ca: '/ca.pem' }), [`ca: \`ca\` would be ignored with no \`ssl\` (TLS off): ${only}`]);
  assert.deepEqual(issues({ ssl: 'require', ca: '/ca.pem' }), [`ca: \`ca\` would be ignored with ssl: require: ${only}`]);
  assert.deepEqual(issues({ url: 'postgres://db/x?sslmode=require', ca: '/ca.pem' }), [`ca: \`ca\` would be ignored with the url's sslmode=require: ${only}`]);
  for (const spec of [{ ssl: 'verify', ca: '/ca.pem' }, { url: 'postgres://db/x?sslmode=verify-ca', ca: '/ca.pem' }, { ssl: 'require' }]) {
    assert.equal(issues(spec), undefined, JSON.stringify(spec));
  }
  // A bad url is reported once; the rule does not read it.
  assert.deepEqual(issues({ url: 'postgres://[bad', ca: '/ca.pem' }), ['url: is not a valid URL']);
});
