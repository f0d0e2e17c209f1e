// The redis probe through the real CLI, as the PostSync Job runs it: exit codes and report lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { startRedis, startRedisPair, waitForLinkDown, type RedisPair, type RedisServer } from '../support/redis.ts';

let pair: RedisPair;
let single: RedisServer;
before(async () => {
  [pair, single] = await Promise.all([startRedisPair(), startRedis()]);
});
after(async () => {
  await Promise.all([pair?.stop(), single?.stop()]);
});

interface Run { code: number | null; stdout: string; stderr: string; record: () => { probes: { name: string; durationMs: number; error: string | null }[] } }

/** Runs `syncproof run` on one suite file (probes as YAML text, one attempt each unless they say otherwise). */
async function run(probes: string, env: NodeJS.ProcessEnv = {}, output: 'human' | 'json' = 'human'): Promise<Run> {
  const files = tempFiles({ 'suite.yaml': `suite: orders\ndefaults:\n  within: 0s\n  timeout: 3s\nprobes:\n${probes}` });
  try {
    const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', output], { env });
    return { ...r, record: () => JSON.parse(r.stdout) };
  } finally {
    files.cleanup();
  }
}

function probe(name: string, url: string, ...lines: string[]): string {
  return [`  - name: ${name}`, '    type: redis', `    url: ${url}`, ...lines.map((l) => `    ${l}`), ''].join('\n');
}

test('a healthy primary and a caught-up replica pass', async () => {
  const r = await run(
    probe('cache primary', pair.primary.url(), 'writeCheck: true', 'expect: [connected, role == "primary", writable, replication.replicas >= 1]')
    + probe('cache replica', pair.replica.url(), 'expect: [role == "replica", replication.linkUp, replication.lag < 2s]'),
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\n {2}✓ cache primary: primary, 1 replica, lag \S+, writable in \d+ms\n/);
  assert.match(r.stdout, /\n {2}✓ cache replica: replica, lag \S+ in \d+ms\n/);
  assert.match(r.stdout, /\nPASSED: 2 probes passed in /);
});

test('writeCheck on the replica: `!writable` passes; `writable` fails with the server\'s reason', async () => {
  const passing = await run(probe('replica refuses writes', pair.replica.url(), 'writeCheck: true', 'expect: ["!writable", readOnly]'));
  assert.equal(passing.code, 0, passing.stdout);
  const failing = await run(probe('replica writable', pair.replica.url(), 'writeCheck: true', 'expect: [writable]'));
  assert.equal(failing.code, 1, failing.stdout);
  assert.ok(failing.stdout.includes('  ✗ replica writable: writable = false (expected true) (writeCheck: READONLY You can\'t write against a read only replica.)\n'), failing.stdout);
});

test('command with result assertions', async () => {
  await pair.primary.admin('SET', 'feature:checkout', 'on');
  const r = await run(
    probe('checkout flag', pair.primary.url(), 'command: [GET, feature:checkout]', 'expect: [\'result == "on"\']')
    + probe('checkout flag off', pair.primary.url(), 'command: [GET, feature:checkout]', 'expect: [\'result == "off"\']'),
  );
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\n {2}✓ checkout flag: primary, 1 replica, lag \S+ in \d+ms\n/);
  assert.ok(r.stdout.includes('  ✗ checkout flag off: result = "on" (expected == "off")\n'), r.stdout);
});

test('a write command is refused without allowWrite, before it is sent, and sent with it', async () => {
  await pair.primary.admin('SET', 'feature:checkout', 'on');
  const refused = await run(probe('flip flag', pair.primary.url(), 'command: [SET, feature:checkout, "off"]'));
  assert.equal(refused.code, 1);
  assert.ok(refused.stdout.includes('  ✗ flip flag: refused to send SET: the server does not flag it read-only (set allowWrite: true to allow it)\n'), refused.stdout);
  assert.equal(await pair.primary.admin('GET', 'feature:checkout'), 'on');
  const allowed = await run(probe('flip flag', pair.primary.url(), 'command: [SET, feature:checkout, "off"]', 'allowWrite: true', 'expect: [\'result == "OK"\']'));
  assert.equal(allowed.code, 0, allowed.stdout);
  assert.equal(await pair.primary.admin('GET', 'feature:checkout'), 'off');
});

test('a wrong password: a clear authentication error, not retried; the password is never printed', async (t) => {
  await single.admin('ACL', 'SETUSER', 'app', 'on', '>Right-pw-123', '~*', '+@all');
  t.after(() => single.admin('ACL', 'DELUSER', 'app'));
  const secret = 'Wr0ng-pw-x7';
  const suite = probe('cache auth', single.url().replace('redis://', 'redis://app:${env:CACHE_PW}@'), 'within: 20s', 'interval: 100ms');
  const human = await run(suite, { CACHE_PW: secret, LOG_LEVEL: 'debug' });
  assert.equal(human.code, 1);
  assert.ok(human.stdout.includes('  ✗ cache auth: authentication failed for user "app" (not retried)\n'), human.stdout);
  const json = await run(suite, { CACHE_PW: secret, LOG_LEVEL: 'debug' }, 'json');
  assert.equal(JSON.parse(json.stdout).probes[0].attempts, 1, 'a refused login is tried once, whatever `within` allows');
  for (const text of [human.stdout, human.stderr, json.stdout, json.stderr]) assert.equal(text.includes(secret), false);
  assert.ok(json.stdout.includes(`"target": "redis://app@127.0.0.1:${single.port}/0"`), json.stdout);
});

test('a refused port and a silent listener fail within timeout + 1s', async (t) => {
  const port = await refusedPort();
  const peer = await silentPeer();
  t.after(() => peer.close());
  const r = await run(
    probe('refused', `redis://127.0.0.1:${port}`, 'timeout: 1s')
    + probe('silent', `redis://127.0.0.1:${peer.port}`, 'timeout: 1s'),
  );
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes(`  ✗ refused: connection refused (127.0.0.1:${port})\n`), r.stdout);
  assert.ok(r.stdout.includes('  ✗ silent: timeout after 1s\n'), r.stdout);
  const json = await run(probe('silent', `redis://127.0.0.1:${peer.port}`, 'timeout: 1s'), {}, 'json');
  const [silent] = json.record().probes;
  assert.ok(silent && silent.durationMs < 1000 + 1000, `took ${silent?.durationMs}ms`);
});

// The last two change the pair: a frozen primary, then a stopped one.
test('a frozen primary: the replica\'s link stays up while its lag grows past the bound', async (t) => {
  pair.primary.pause();
  t.after(() => pair.primary.resume());
  await new Promise((r) => setTimeout(r, 3200));
  const r = await run(probe('replica lag', pair.replica.url(), 'expect: [replication.linkUp, replication.lag < 2s]'));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\n {2}✗ replica lag: replication\.lag = [3-9](\.\d)?s \(expected < 2s\)\n/);
});

test('a replica whose primary stopped: replication.linkUp is false and the run fails', async () => {
  await pair.primary.stop();
  await waitForLinkDown(pair.replica);
  const r = await run(probe('replica link', pair.replica.url(), 'expect: [replication.linkUp, replication.lag < 2s]'));
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes('  ✗ replica link: replication.linkUp = false (expected true); replication.lag = null (expected < 2s)\n'), r.stdout);
  const json = await run(probe('replica link', pair.replica.url(), 'expect: ["!replication.linkUp", replication.lag == null]'), {}, 'json');
  assert.equal(json.code, 0, json.stdout);
});
