// The mysql probe through the real CLI, against a real MariaDB primary + replica (docs/probes/mysql.md; the report of README.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { MONITOR, startMariaDbPair, waitFor, type MyPair } from '../support/mysql.ts';

let pair: MyPair;
before(async () => { pair = await startMariaDbPair(); });
after(async () => { await pair?.stop(); });

interface RecordedProbe { name: string; verdict: string; durationMs: number; error: string | null; target: string; observed: Record<string, unknown> | null }

async function runSuite(t: { after(fn: () => void): void }, yaml: string, options: { json?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', '', ...(options.json ? ['--output', 'json'] : [])];
  return runCli(args, { env: { DB_PASSWORD: MONITOR.password, ...options.env } });
}

function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.replace(/\d+ms/g, 'Nms'));
}

/** The probe keys for the monitor user on the primary or the replica. */
const at = (server: 'primary' | 'replica') => `url: ${pair[server].url()}
    password: \${env:DB_PASSWORD}`;

test('a healthy pair passes: primary writable with a replica, replica caught up, query assertions', async (t) => {
  await pair.caughtUp();
  const r = await runSuite(t, `suite: orders
defaults: { timeout: 5s, within: 10s, interval: 500ms }
probes:
  - name: primary
    type: mysql
    ${at('primary')}
    writeCheck: true
    expect: [connected, role == "primary", writable, replication.replicas >= 1, "!readOnly"]
  - name: replica lag
    type: mysql
    ${at('replica')}
    expect: [role == "replica", replication.lag < 2s, replication.ioRunning, replication.sqlRunning]
  - name: items query
    type: mysql
    host: 127.0.0.1
    port: ${pair.replica.port}
    user: monitor
    database: app
    password: \${env:DB_PASSWORD}
    query: "SELECT id AS x, name, price FROM items WHERE id <= ? ORDER BY id DESC"
    params: [2]
    expect: [value == 2, row.x == 2, row.name == "pear", row.price == 2.25, rows.length == 2, rowCount >= 2]
`);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), [
    '  ✓ primary: primary, 1 replica, writable in Nms',
    '  ✓ replica lag: replica, lag Nms in Nms',
    '  ✓ items query: replica, lag Nms, 2 rows in Nms',
  ]);
  assert.deepEqual(await pair.primary.query('SELECT suite FROM app.syncproof_canary'), [{ suite: 'orders' }]);
});

test('a replica with its SQL thread stopped: sqlRunning false and lag null fail the run; asserted as such, they pass', async (t) => {
  await pair.stopSqlThread();
  t.after(() => pair.startReplication());
  const r = await runSuite(t, `defaults: { within: 0s }
probes:
  - name: replica healthy
    type: mysql
    ${at('replica')}
    expect: [replication.sqlRunning, replication.lag < 2s]
  - name: replica stopped
    type: mysql
    ${at('replica')}
    expect: ["!replication.sqlRunning", replication.ioRunning, replication.lag == null, role == "replica"]
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), [
    '  ✗ replica healthy: replication.sqlRunning = false (expected true); replication.lag = null (expected < 2s)',
    '  ✓ replica stopped: replica, SQL thread stopped in Nms',
  ]);
});

test('a replica behind (delayed replication): lag fails with the observed value', async (t) => {
  // A delay well past the bound: the CLI's start on a loaded machine must not outlast it (a 4s delay did, and the
  // replica had applied the row, lag 0, by the time the probe asked).
  await pair.delayReplica(20);
  t.after(async () => { await pair.delayReplica(0); await pair.caughtUp(); });
  await pair.primary.query('INSERT INTO app.items VALUES (3, "plum", 0.5, 1, 1)');
  await waitFor(async () => {
    const [row] = await pair.replica.query('SHOW SLAVE STATUS');
    return Number(row?.Seconds_Behind_Master) >= 3;
  }, 'the replica to fall 3s behind', 10_000);
  const r = await runSuite(t, `probes:
  - name: replica lag
    type: mysql
    ${at('replica')}
    within: 0s
    expect: [replication.lag < 2s]
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(lines(r.stdout)[0] ?? '', /^ {2}✗ replica lag: replication\.lag = ([3-9]|1\d|20)(\.\d)?s \(expected < 2s\)$/);
});

test('writeCheck on a read-only primary and on the replica: writable false with the server\'s reason', async (t) => {
  await pair.setReadOnly(true);
  t.after(() => pair.setReadOnly(false));
  const r = await runSuite(t, `defaults: { within: 0s }
probes:
  - name: primary write
    type: mysql
    ${at('primary')}
    writeCheck: { table: canary }
    expect: [writable]
  - name: replica write
    type: mysql
    ${at('replica')}
    writeCheck: true
    expect: [writable]
  - name: replica refuses writes
    type: mysql
    ${at('replica')}
    writeCheck: true
    expect: ["!writable", readOnly]
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const refused = 'write refused: The MariaDB server is running with the --read-only option so it cannot execute this statement';
  assert.deepEqual(lines(r.stdout), [
    `  ✗ primary write: writable = false (expected true) (${refused})`,
    `  ✗ replica write: writable = false (expected true) (${refused})`,
    `  ✓ replica refuses writes: replica, lag Nms, not writable in Nms (${refused})`,
  ]);
});

test('a write statement in query is refused by the server as the attempt error', async (t) => {
  const r = await runSuite(t, `probes:
  - name: sneaky
    type: mysql
    ${at('primary')}
    within: 0s
    query: UPDATE items SET name = 'gone' WHERE id = 1  # monitor may UPDATE; the transaction may not
`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), ['  ✗ sneaky: Cannot execute statement in a READ ONLY transaction']);
  assert.deepEqual(await pair.primary.query('SELECT name FROM app.items WHERE id = 1'), [{ name: 'apple' }]);
});

test('a wrong password: a clear authentication error, not retried; the password appears nowhere', async (t) => {
  const yaml = `defaults: { within: 20s, interval: 100ms }
probes:
  - name: monitor login
    type: mysql
    url: ${pair.primary.url()}
    password: \${env:DB_PASSWORD}
  - name: monitor login in url
    type: mysql
    url: mysql://monitor:\${env:DB_PASSWORD}@127.0.0.1:${pair.primary.port}/app
`;
  const env = { DB_PASSWORD: 'Wrong-pw-4242', LOG_LEVEL: 'debug' };
  const human = await runSuite(t, yaml, { env });
  assert.equal(human.code, 1, human.stdout + human.stderr);
  assert.deepEqual(lines(human.stdout), [
    '  ✗ monitor login: authentication failed for user "monitor" (not retried)',
    '  ✗ monitor login in url: authentication failed for user "monitor" (not retried)',
  ]);
  const json = await runSuite(t, yaml, { env, json: true });
  const record = JSON.parse(json.stdout) as { probes: (RecordedProbe & { attempts: number })[] };
  assert.deepEqual(record.probes.map((p) => p.attempts), [1, 1], 'a refused login is tried once, whatever `within` allows');
  assert.deepEqual(record.probes.map((p) => p.target), Array(2).fill(`mysql://monitor@127.0.0.1:${pair.primary.port}/app`));
  for (const out of [human.stdout, human.stderr, json.stdout, json.stderr]) assert.doesNotMatch(out, /Wrong-pw/);
});

test('a refused port and a silent listener fail within timeout + 1s', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const closed = await refusedPort();
  const r = await runSuite(t, `defaults: { timeout: 1s, within: 0s }
probes:
  - name: refused
    type: mysql
    host: 127.0.0.1
    port: ${closed}
    user: monitor
  - name: silent
    type: mysql
    url: mysql://monitor@127.0.0.1:${peer.port}/app?ssl-mode=REQUIRED
`, { json: true });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const record = JSON.parse(r.stdout) as { probes: RecordedProbe[] };
  assert.deepEqual(record.probes.map((p) => [p.name, p.error]), [
    ['refused', `connection refused (127.0.0.1:${closed})`],
    ['silent', 'timeout after 1s'],
  ]);
  for (const p of record.probes) assert.ok(p.durationMs < 2000, `${p.name} took ${p.durationMs}ms`);
  assert.ok(r.elapsedMs < 1000 + 1000 + 3000, `the run took ${r.elapsedMs}ms`);
});
