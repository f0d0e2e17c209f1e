// The core through the CLI, as a Job runs it: exit codes, report lines, record, retries, after, deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, tempFiles } from '../support/cli.ts';
import { freePort, refusedPort, silentPeer } from '../support/net.ts';

async function listener(port?: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  const actual = (server.address() as net.AddressInfo).port;
  return { port: actual, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a passing suite exits 0 with one line per probe and the verdict', async (t) => {
  const open = await listener();
  t.after(open.close);
  const files = tempFiles({ 'suite.yaml': `suite: shop\nprobes:\n  - name: db port\n    type: tcp\n    host: 127.0.0.1\n    port: ${open.port}\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^syncproof \d+\.\d+\.\d+ · suite shop\n/);
  assert.match(r.stdout, /\n {2}✓ db port: connected in \d+ms\n/);
  assert.match(r.stdout, /\nPASSED: 1 probe passed in \d+ms\n$/);
  assert.match(readFileSync(files.path('term'), 'utf8'), /^PASSED: 1 probe passed in/);
});

test('a failing critical probe exits 1; the termination message has the verdict and the failing line', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: closed\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 0s\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term')]);
  assert.equal(r.code, 1, r.stderr);
  const line = `✗ closed: connection refused (127.0.0.1:${port})`;
  assert.ok(r.stdout.includes(`  ${line}\n`), r.stdout);
  assert.match(r.stdout, /\nFAILED: 1 of 1 probes failed in \d+ms\n$/);
  assert.equal(readFileSync(files.path('term'), 'utf8').split('\n')[1], line);
  assert.match(r.stdout, /^syncproof \S+ · suite suite\n/, 'the suite is named after the file');
});

test('a critical probe skipped after a failing warning fails the run: it was not verified', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'checks.yaml': [
    'defaults:', '  within: 0s', 'probes:',
    `  - name: cache port\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    severity: warning`,
    `  - name: cache user\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    after: [cache port]`,
  ].join('\n') });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.dir, '--termination-log', '', '--output', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const record = JSON.parse(r.stdout);
  assert.equal(record.verdict, 'failed');
  assert.deepEqual(record.counts, { total: 2, passed: 0, failed: 0, warned: 1, skipped: 1 });
  assert.equal(record.probes[1].verdict, 'skipped');
  assert.equal(record.probes[1].summary, 'skipped (after cache port warned)');
  assert.equal(record.probes[1].error, 'not verified: skipped after cache port warned');
  const human = await runCli(['run', '--config', files.dir, '--termination-log', files.path('term'), '--junit', files.path('junit.xml')]);
  assert.equal(human.code, 1, human.stderr);
  assert.match(human.stdout, /\n {2}! cache port: connection refused \(127\.0\.0\.1:\d+\) +\[warning\]\n {2}- cache user: skipped \(after cache port warned\)\n/);
  assert.match(human.stdout, /\nFAILED: 0 of 2 probes failed in \d+ms, 1 warned, 1 skipped \(1 critical, not verified\)\n$/);
  const term = readFileSync(files.path('term'), 'utf8').split('\n');
  assert.match(term[0]!, /^FAILED: 0 of 2 probes failed in \d+ms, 1 warned, 1 skipped \(1 critical, not verified\)$/);
  assert.equal(term[1], '- cache user: skipped (after cache port warned)', 'the termination message lists the skipped critical probe');
  const xml = readFileSync(files.path('junit.xml'), 'utf8');
  assert.match(xml, /<testsuite name="checks" tests="2" failures="1" skipped="0"/);
  assert.match(xml, /<testcase name="cache user" [^>]+>\n {6}<failure message="not verified: skipped after cache port warned" type="not-verified">/);
});

test('a warning probe skipped after a failing warning is a warning: the run passes', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'checks.yaml': [
    'defaults:', '  within: 0s', '  severity: warning', 'probes:',
    `  - name: cache port\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}`,
    `  - name: cache user\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    after: [cache port]`,
  ].join('\n') });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.dir, '--termination-log', '']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n {2}- cache user: skipped \(after cache port warned\) +\[warning\]\n/);
  assert.match(r.stdout, /\nPASSED: 0 probes passed in \d+ms, 1 warned, 1 skipped\n$/);
});

test('a failing probe is retried within its window until the target starts answering', async (t) => {
  const port = await freePort();
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: late\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 20s\n    interval: 300ms\n` });
  t.after(files.cleanup);
  let late: Awaited<ReturnType<typeof listener>> | undefined;
  const timer = setTimeout(async () => (late = await listener(port)), 3000); // leaves room for a slow CLI start on a loaded machine
  t.after(async () => { clearTimeout(timer); await late?.close(); });
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  assert.equal(r.code, 0, r.stdout);
  const probe = JSON.parse(r.stdout).probes[0];
  assert.equal(probe.verdict, 'passed');
  assert.ok(probe.attempts >= 3, `attempts: ${probe.attempts}`);
  assert.match(probe.summary, /^connected in \d+ms \(attempt \d+\)$/);
});

test('`passes` requires consecutive passing attempts', async (t) => {
  const open = await listener();
  t.after(open.close);
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: steady\n    type: tcp\n    host: 127.0.0.1\n    port: ${open.port}\n    passes: 3\n    interval: 100ms\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.stdout).probes[0].attempts, 3);
});

test('the deadline aborts a retrying probe, still reports and records, and exits 1', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `deadline: 1500ms\ndefaults:\n  timeout: 1s\nprobes:\n  - name: never\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 1m\n    interval: 200ms\n  - name: waits\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    after: [never]\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term'), '--output', 'json']);
  assert.equal(r.code, 1);
  assert.ok(r.elapsedMs < 1500 + 3000, `took ${r.elapsedMs}ms`);
  const record = JSON.parse(r.stdout);
  assert.equal(record.verdict, 'aborted');
  assert.equal(record.abortReason, 'deadline 1.5s reached');
  assert.deepEqual(record.probes.map((p: { verdict: string }) => p.verdict), ['failed', 'failed']);
  assert.match(record.probes[0].error, /^aborted: deadline 1\.5s reached$/);
  assert.match(record.probes[0].summary, /; last attempt: connection refused/);
  assert.match(readFileSync(files.path('term'), 'utf8'), /^ABORTED \(deadline 1\.5s reached\): 2 of 2 probes failed in 1\.\ds\n✗ never: aborted/);
});

test('SIGTERM mid-run finishes the record and the report, then exits 1', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: stuck\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 5m\n    interval: 100ms\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', ''], {
    env: { LOG_LEVEL: 'info' },
    onSpawn: (child) => {
      child.stderr?.on('data', (d: Buffer) => { if (d.toString().includes('run started')) setTimeout(() => child.kill('SIGTERM'), 300); });
    },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\n {2}✗ stuck: aborted: SIGTERM; last attempt: connection refused/);
  assert.match(r.stdout, /\nABORTED \(SIGTERM\): 1 of 1 probes failed in /);
  assert.ok(r.elapsedMs < 5000, `took ${r.elapsedMs}ms`);
});

test('the record carries the Argo CD app context and the pod name', async (t) => {
  const open = await listener();
  t.after(open.close);
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: db\n    type: tcp\n    host: 127.0.0.1\n    port: ${open.port}\n` });
  t.after(files.cleanup);
  const env = {
    ARGOCD_APP_NAME: 'orders', ARGOCD_APP_NAMESPACE: 'orders-prod', ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c', ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/orders.git',
    POD_NAME: 'orders-syncproof-x7k2p',
  };
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env });
  const record = JSON.parse(r.stdout);
  assert.equal(record.version, 1);
  assert.match(record.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(record.suite, 'orders', 'the suite defaults to the app name');
  assert.deepEqual(record.app, { name: 'orders', namespace: 'orders-prod', project: 'default', revision: env.ARGOCD_APP_REVISION, repoURL: env.ARGOCD_APP_SOURCE_REPO_URL });
  assert.equal(record.runner.pod, 'orders-syncproof-x7k2p');
  assert.ok(Date.parse(record.finishedAt) >= Date.parse(record.startedAt));
  assert.deepEqual(Object.keys(record.probes[0]).slice(0, 12), ['name', 'type', 'target', 'severity', 'verdict', 'attempts', 'durationMs', 'error', 'observed', 'assertions', 'summary']);
  assert.equal(record.probes[0].observed.connected, true);
  assert.equal(typeof record.probes[0].observed.duration, 'number');
  assert.deepEqual(record.probes[0].assertions, [{ expect: 'connected', actual: 'true', passed: true }]);
  const human = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', ''], { env });
  assert.match(human.stdout, /^syncproof \S+ · suite orders · app orders@3f2a9c1\n/);
});

test('concurrency bounds the attempts in flight', async (t) => {
  let inFlight = 0;
  let most = 0;
  const server = http.createServer((_req, res) => {
    most = Math.max(most, ++inFlight);
    setTimeout(() => { inFlight--; res.end('ok'); }, 150);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as net.AddressInfo;
  const probes = Array.from({ length: 6 }, (_, i) => `  - name: p${i}\n    type: http\n    url: http://127.0.0.1:${port}/${i}\n`).join('');
  const files = tempFiles({ 'suite.yaml': `concurrency: 2\nprobes:\n${probes}` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '']);
  assert.equal(r.code, 0, r.stdout);
  assert.equal(most, 2);
});

test('the deadline aborts an attempt in flight and closes its connection', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const files = tempFiles({ 'suite.yaml': `deadline: 1s\nprobes:\n  - name: hangs\n    type: http\n    url: http://127.0.0.1:${peer.port}/\n    timeout: 1s\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\n {2}✗ hangs: aborted: deadline 1s reached\n/);
  assert.ok(r.elapsedMs < 1000 + 3000, `took ${r.elapsedMs}ms`);
  assert.equal(peer.accepted(), 1);
  assert.equal(peer.open(), 0, 'the process ended and its socket with it');
});

test('a suite without database probes never loads a database driver', async (t) => {
  const port = await refusedPort();
  const trace = fileURLToPath(new URL('../support/trace-imports.ts', import.meta.url));
  const files = tempFiles({
    'web.yaml': `probes:\n  - name: web\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 0s\n`,
    'cache.yaml': `probes:\n  - name: cache\n    type: redis\n    url: redis://127.0.0.1:${port}\n    within: 0s\n`,
  });
  t.after(files.cleanup);
  const loaded = async (suite: string) => {
    const out = files.path(`${suite}.trace`);
    await runCli(['run', '--config', files.path(suite), '--termination-log', ''], { env: { NODE_OPTIONS: `--import ${trace}`, TRACE_IMPORTS_FILE: out } });
    return readFileSync(out, 'utf8').split('\n');
  };
  const web = await loaded('web.yaml');
  assert.ok(web.includes('node:net'), 'the trace sees what the tcp probe loads');
  for (const driver of ['pg', 'mysql2', 'mysql2/promise', 'ioredis']) assert.ok(!web.includes(driver), `${driver} was loaded`);
  assert.ok((await loaded('cache.yaml')).includes('ioredis'), 'a redis probe does load its driver');
});
