// The postgres probe through the real CLI, against a real primary + streaming replica (docs/probes/postgres.md; the report of README.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { replayedOneTransaction, startPostgres, startPostgresPair, waitFor, type PgPair } from '../support/postgres.ts';

let pair: PgPair;
before(async () => { pair = await startPostgresPair(); });
after(async () => { await pair?.stop(); });

interface RecordedProbe { name: string; verdict: string; durationMs: number; error: string | null; target: string }

async function runSuite(t: { after(fn: () => void): void }, yaml: string, options: { json?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', '', ...(options.json ? ['--output', 'json'] : [])];
  return runCli(args, options.env ? { env: options.env } : {});
}

/** The note on a line of a probe whose query or writeCheck runs as the superuser `postgres` (these tests log in as it). */
const SUPERUSER = 'runs as superuser "postgres": read-only stops data writes, not COPY TO PROGRAM, dblink_exec or replication slots (use a least-privileged role)';

function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('  '));
}

test('a healthy pair passes: primary writable with a streaming replica, replica caught up, query assertions', async (t) => {
  const r = await runSuite(t, `suite: orders
defaults: { timeout: 5s, within: 10s, interval: 500ms }
probes:
  - name: primary
    type: postgres
    url: ${pair.primary.url()}
    writeCheck: true
    expect: [connected, role == "primary", writable, replication.replicas >= 1, "!readOnly"]
  - name: replica lag
    type: postgres
    url: ${pair.replica.url()}
    expect: [role == "replica", replication.lag < 2s]
  - name: orders query
    type: postgres
    host: 127.0.0.1
    port: ${pair.replica.port}
    user: postgres
    query: "SELECT n AS x, 'eu' AS region FROM generate_series(1, $1::int) AS n ORDER BY n DESC"
    params: [3]
    expect: [value == 3, row.x == 3, row.region == "eu", rows.length == 3, rowCount >= 3]
`);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // The primary's writeCheck commits while the replica's state is read: a replica that has received that commit
  // but not yet replayed it reports the age of its previous commit (from the pair's start-up), which on a slow
  // machine can exceed 2s; `within` retries it, so a second attempt is the probe working as documented.
  assert.deepEqual(lines(r.stdout).map((l) => l.replace(/\d+ms/g, 'Nms').replace(/^(  ✓ replica lag: .*) \(attempt \d+\)$/, '$1')), [
    `  ✓ primary: primary, 1 replica, lag Nms, writable in Nms (${SUPERUSER})`,
    '  ✓ replica lag: replica, lag Nms in Nms',
    `  ✓ orders query: replica, lag Nms, 3 rows in Nms (${SUPERUSER})`,
  ]);
  assert.deepEqual(await pair.primary.query('SELECT suite FROM syncproof_canary'), [{ suite: 'orders' }]);
});

test('replay paused while the primary takes writes: lag fails with the observed value; resumed within `within`, the same run passes', async (t) => {
  await replayedOneTransaction(pair);
  await pair.pauseReplay();
  t.after(() => pair.resumeReplay());
  await waitFor(async () => {
    await pair.primary.query('INSERT INTO ticks VALUES (now())');
    const [r] = await pair.replica.query(`SELECT pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()
      AND now() - pg_last_xact_replay_timestamp() > interval '2.5s' AS behind`);
    return r?.['behind'] === true;
  }, 'the replica to fall 2.5s behind', 10_000);
  const suite = (within: string) => `probes:
  - name: replica lag
    type: postgres
    url: ${pair.replica.url()}
    timeout: 2s
    within: ${within}
    interval: 500ms
    expect: [replication.lag < 2s]
`;
  const failing = await runSuite(t, suite('0s'));
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(lines(failing.stdout)[0] ?? '', /^ {2}✗ replica lag: replication\.lag = \d+(\.\d)?s \(expected < 2s\)$/);

  const resume = setTimeout(() => { void pair.resumeReplay(); }, 2500);
  t.after(() => clearTimeout(resume));
  const passing = await runSuite(t, suite('20s'));
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  // It failed first (lag above 2s), then passed once replay resumed: a later attempt.
  assert.match(lines(passing.stdout)[0] ?? '', /^ {2}✓ replica lag: replica, lag \d+ms in \d+ms \(attempt ([2-9]|\d\d)\)$/);
});

test('writeCheck on the replica and on a read-only primary: writable false with the server\'s reason', async (t) => {
  await pair.makeReadOnly();
  t.after(() => pair.makeWritable());
  const r = await runSuite(t, `defaults: { within: 0s }
probes:
  - name: replica write
    type: postgres
    url: ${pair.replica.url()}
    writeCheck: true
    expect: [writable]
  - name: primary write
    type: postgres
    url: ${pair.primary.url()}
    writeCheck: { table: canary }
    expect: [writable]
  - name: replica refuses writes
    type: postgres
    url: ${pair.replica.url()}
    writeCheck: true
    expect: ["!writable", readOnly]
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const [replica, primary, refuses, ...rest] = lines(r.stdout);
  assert.deepEqual(rest, []);
  // INSERT where the canary table already exists (replicated from the primary), CREATE TABLE where it does not.
  const refusal = /; writeCheck: cannot execute (CREATE TABLE|INSERT) in a read-only transaction\)$/;
  assert.match(replica ?? '', /^ {2}✗ replica write: writable = false \(expected true\)/);
  assert.match(replica ?? '', refusal);
  assert.equal(primary, `  ✗ primary write: writable = false (expected true) (${SUPERUSER}; writeCheck: cannot execute CREATE TABLE in a read-only transaction)`);
  assert.match(refuses ?? '', /^ {2}✓ replica refuses writes: replica, lag \d+ms, not writable in \d+ms \(runs as superuser "postgres": .*; writeCheck: cannot execute (CREATE TABLE|INSERT) in a read-only transaction\)$/);
});

test('a write statement in query is refused by the server as the attempt error', async (t) => {
  await pair.primary.query('CREATE TABLE IF NOT EXISTS orders_e2e (id int)');
  const r = await runSuite(t, `probes:
  - name: sneaky
    type: postgres
    url: ${pair.primary.url()}
    within: 0s
    query: DELETE FROM orders_e2e RETURNING id
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), ['  ✗ sneaky: cannot execute DELETE in a read-only transaction']);
});

test('a wrong password: a clear authentication error, not retried; the password appears nowhere', async (t) => {
  const server = await startPostgres({ passwordAuth: true });
  t.after(() => server.stop());
  await server.query("CREATE ROLE monitor LOGIN PASSWORD 'Right-pw-31337'");
  const yaml = `probes:
  - name: monitor login
    type: postgres
    url: postgres://monitor@127.0.0.1:${server.port}/postgres
    password: \${env:PGPW}
    within: 20s
    interval: 100ms
  - name: monitor login in url
    type: postgres
    url: postgres://monitor:\${env:PGPW}@127.0.0.1:${server.port}/postgres
    within: 20s
    interval: 100ms
`;
  const env = { PGPW: 'Wrong-pw-4242', LOG_LEVEL: 'debug' };
  const human = await runSuite(t, yaml, { env });
  assert.equal(human.code, 1, human.stdout + human.stderr);
  assert.deepEqual(lines(human.stdout), [
    '  ✗ monitor login: authentication failed for user "monitor" (not retried)',
    '  ✗ monitor login in url: authentication failed for user "monitor" (not retried)',
  ]);
  const json = await runSuite(t, yaml, { env, json: true });
  const record = JSON.parse(json.stdout) as { probes: (RecordedProbe & { attempts: number })[] };
  assert.deepEqual(record.probes.map((p) => p.attempts), [1, 1], 'a refused login is tried once, whatever `within` allows');
  assert.deepEqual(record.probes.map((p) => p.target), Array(2).fill(`postgres://monitor@127.0.0.1:${server.port}/postgres`));
  for (const out of [human.stdout, human.stderr, json.stdout, json.stderr]) assert.doesNotMatch(out, /Wrong-pw/);
});

test('a refused port and a silent listener fail within timeout + 1s', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const closed = await refusedPort();
  const r = await runSuite(t, `defaults: { timeout: 1s, within: 0s }
probes:
  - name: refused
    type: postgres
    host: 127.0.0.1
    port: ${closed}
  - name: silent
    type: postgres
    url: postgres://monitor@127.0.0.1:${peer.port}/orders?sslmode=require
`, { json: true });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const record = JSON.parse(r.stdout) as { probes: RecordedProbe[] };
  assert.deepEqual(record.probes.map((p) => [p.name, p.error]), [
    ['refused', `connection refused (127.0.0.1:${closed})`],
    ['silent', 'timeout after 1s'],
  ]);
  for (const p of record.probes) assert.ok(p.durationMs < 2000, `${p.name} took ${p.durationMs}ms`);
});
