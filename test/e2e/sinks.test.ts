// Sinks through the CLI: one report line per delivery, `required` semantics, delivery after SIGTERM and the deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';
import { startReceiver } from '../support/receiver.ts';

async function openPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const tcpProbe = (name: string, port: number, extra = '') => `  - name: ${name}\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n${extra}`;

test('each delivery gets a report line; an optional sink failing does not fail a passing run', async (t) => {
  const open = await openPort();
  const ok = await startReceiver([{ status: 204 }]);
  const bad = await startReceiver([{ status: 400, body: 'no' }]);
  t.after(() => Promise.all([open.close(), ok.close(), bad.close()]));
  const files = tempFiles({ 'suite.yaml': `probes:\n${tcpProbe('db', open.port)}sinks:\n  - type: webhook\n    url: ${ok.origin}/hook\n  - type: webhook\n    url: ${bad.origin}/hook\n  - type: file\n    path: RECORD\n` });
  t.after(files.cleanup);
  const suite = readFileSync(files.path('suite.yaml'), 'utf8').replace('RECORD', files.path('out/record.json'));
  const cfg = tempFiles({ 'suite.yaml': suite });
  t.after(cfg.cleanup);
  const r = await runCli(['run', '--config', cfg.path('suite.yaml'), '--termination-log', '']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\nPASSED: 1 probe passed in \d+ms\nsink webhook: delivered\nsink webhook: FAILED \(400[^)]*\)\nsink file: delivered\n$/);
  assert.equal(bad.requests.length, 1, '4xx is not retried');
  const delivered = JSON.parse(ok.requests[0]!.body.toString());
  assert.equal(delivered.verdict, 'passed');
  assert.deepEqual(JSON.parse(readFileSync(files.path('out/record.json'), 'utf8')).id, delivered.id);
});

test('a required sink that fails turns a passing run into failed: evidence not recorded', async (t) => {
  const open = await openPort();
  const down = await startReceiver([{ status: 503 }]);
  t.after(() => Promise.all([open.close(), down.close()]));
  const files = tempFiles({ 'suite.yaml': `probes:\n${tcpProbe('db', open.port)}sinks:\n  - type: webhook\n    url: ${down.origin}/hook\n    required: true\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term')]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /\nFAILED: evidence not recorded \(sink webhook\); 1 of 1 probes passed in \d+m?s\nsink webhook: FAILED \(503 after 3 attempts\)\n$/);
  assert.equal(down.requests.length, 3);
  assert.match(readFileSync(files.path('term'), 'utf8'), /^FAILED: evidence not recorded \(sink webhook\).*\nsink webhook: FAILED \(503 after 3 attempts\)$/);
});

for (const how of ['SIGTERM', 'deadline'] as const) {
  test(`on ${how} the aborted record is still delivered within the grace`, async (t) => {
    const port = await refusedPort();
    const hook = await startReceiver([{ status: 200 }]);
    t.after(() => hook.close());
    const deadline = how === 'deadline' ? 'deadline: 1s\ndefaults:\n  timeout: 1s\n' : '';
    const files = tempFiles({ 'suite.yaml': `${deadline}probes:\n${tcpProbe('stuck', port, '    within: 5m\n    interval: 100ms\n')}sinks:\n  - type: webhook\n    url: ${hook.origin}/hook\n    on: failure\n` });
    t.after(files.cleanup);
    const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', ''], {
      env: { LOG_LEVEL: 'info' },
      onSpawn: (child) => {
        if (how !== 'SIGTERM') return;
        child.stderr?.on('data', (d: Buffer) => { if (d.toString().includes('run started')) setTimeout(() => child.kill('SIGTERM'), 300); });
      },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /\nsink webhook: delivered\n$/);
    assert.equal(hook.requests.length, 1);
    const record = JSON.parse(hook.requests[0]!.body.toString());
    assert.equal(record.verdict, 'aborted');
    assert.equal(record.abortReason, how === 'SIGTERM' ? 'SIGTERM' : 'deadline 1s reached');
    assert.ok(r.elapsedMs < 10_000, `took ${r.elapsedMs}ms`);
  });
}
