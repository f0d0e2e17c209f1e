// Run guarantees beyond the matrix rows (which each check report, record, delivery, natural exit, no
// unhandled rejection and a documented exit code): a driver that never releases its handle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { runFault, STARTUP_MS } from './harness.ts';

const STRAY = fileURLToPath(new URL('./stray-handle.ts', import.meta.url));

test('a handle nobody closes cannot keep the Job alive: the report first, then exit by the 3 s backstop', async (t) => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  const run = await runFault(t, { preload: STRAY, suite: `probes:\n  - { name: db, type: tcp, host: 127.0.0.1, port: ${port} }` });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /\nPASSED: 1 probe passed in /);
  assert.equal(run.record?.verdict, 'passed');
  assert.equal(run.delivered.length, 1);
  assert.equal(run.exit?.natural, false, 'the injected interval kept the loop alive');
  assert.ok(run.exit.active.includes('Timeout'), `still active: ${run.exit.active.join(', ')}`);
  const gap = run.exit.stdoutToExitMs ?? Infinity;
  assert.ok(gap >= 2500 && gap < 3000 + 1500, `exit ${gap}ms after the report`);
  assert.ok(run.elapsedMs < 3000 + STARTUP_MS + 1000);
});
