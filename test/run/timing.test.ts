// The retry window and the attempt timeout measure the target, not the runner: time queued behind
// `concurrency` does not use up `within`, and loading a driver does not use up the first attempt's timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { runCli, tempFiles } from '../support/cli.ts';
import { freePort } from '../support/net.ts';
import { startRedis } from '../support/redis.ts';

async function delayedHttp(delayMs: number, onRequest = () => {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => { onRequest(); setTimeout(() => res.end('ok'), delayMs); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

test('`within` counts from the first attempt, not from the time queued behind concurrency', async (t) => {
  const port = await freePort();
  const opener = net.createServer((s) => s.end());
  let timer: NodeJS.Timeout | undefined;
  // Timed from the slow request's arrival, not from the CLI's start, which varies with the machine's load.
  const slow = await delayedHttp(3000, () => { timer = setTimeout(() => opener.listen(port, '127.0.0.1'), 5000); });
  t.after(slow.close);
  t.after(() => { clearTimeout(timer); opener.close(); });
  // The slot is busy 0–3s; `late` first tries at ~3s, its port opens at 5s, its window ends at ~6s.
  // Counted from the start of the run, the window would have closed at 3s, by its first attempt.
  const files = tempFiles({ 'suite.yaml': `concurrency: 1
probes:
  - name: slow
    type: http
    url: ${slow.url}
    timeout: 10s
    within: 0s
  - name: late
    type: tcp
    host: 127.0.0.1
    port: ${port}
    within: 3s
    interval: 300ms
` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  const [first, late] = JSON.parse(r.stdout).probes;
  assert.equal(first.verdict, 'passed', first.summary);
  assert.equal(late.verdict, 'passed', late.summary);
  assert.ok(late.attempts >= 2, `attempts: ${late.attempts}`);
  assert.ok(late.durationMs < 4000, `the probe's duration counts from its first attempt: ${late.durationMs}ms`);
  assert.equal(r.code, 0);
});

test('loading a driver does not count against the first attempt\'s timeout', async (t) => {
  const web = await delayedHttp(0);
  t.after(web.close);
  const cache = await startRedis();
  t.after(() => cache.stop());
  const files = tempFiles({ 'suite.yaml': `defaults: { timeout: 300ms, within: 0s }
probes:
  - name: web
    type: http
    url: ${web.url}
  - name: cache
    type: redis
    url: ${cache.url()}
` });
  t.after(files.cleanup);
  // Each driver takes 600ms to load, twice the attempt timeout.
  const slowImports = fileURLToPath(new URL('../support/slow-imports.ts', import.meta.url));
  const env = { NODE_OPTIONS: `--import ${slowImports}`, SLOW_IMPORTS: 'undici,ioredis', SLOW_IMPORTS_MS: '600' };
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env });
  const probes = JSON.parse(r.stdout).probes as { name: string; verdict: string; summary: string; attempts: number }[];
  for (const p of probes) {
    assert.equal(p.verdict, 'passed', `${p.name}: ${p.summary}`);
    assert.equal(p.attempts, 1, p.name);
  }
  assert.ok(r.elapsedMs > 1200, `both drivers were slowed down (${Math.round(r.elapsedMs)}ms)`);
  assert.equal(r.code, 0);
});
