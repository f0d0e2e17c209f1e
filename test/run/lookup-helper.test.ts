// The host-lookup helper (src/system-lookup.ts) is started in the run's load phase, so no attempt pays
// for forking and booting it; a fork that fails is a failed lookup, reported as data, not a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { runCli, tempFiles } from '../support/cli.ts';

const PRELOAD = `--import ${fileURLToPath(new URL('../support/helper-fork.ts', import.meta.url))}`;

async function tcpServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function runLocalhost(t: import('node:test').TestContext, env: NodeJS.ProcessEnv) {
  const server = await tcpServer();
  t.after(server.close);
  const files = tempFiles({ 'suite.yaml': `defaults: { timeout: 300ms, within: 0s }
probes:
  - { name: by-name, type: tcp, host: localhost, port: ${server.port} }
` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env: { NODE_OPTIONS: PRELOAD, ...env } });
  return { r, probe: JSON.parse(r.stdout || '{"probes":[]}').probes[0] as { verdict: string; summary: string; attempts: number } | undefined };
}

test('the helper boots before the first attempt: a slow start does not count against a tight timeout', async (t) => {
  // The helper takes 800ms to boot, well over the 300ms attempt timeout.
  const { r, probe } = await runLocalhost(t, { HELPER_FORK_SLOW_MS: '800' });
  assert.equal(probe?.verdict, 'passed', `${probe?.summary}\n${r.stderr}`);
  assert.equal(probe?.attempts, 1);
  assert.ok(r.elapsedMs > 800, `the helper's start was slowed (${Math.round(r.elapsedMs)}ms)`);
  assert.equal(r.code, 0);
});

test('a fork that fails with EMFILE fails the lookup as data: the probe fails, the run reports and exits 1', async (t) => {
  const { r, probe } = await runLocalhost(t, { HELPER_FORK_EMFILE: '1' });
  assert.equal(probe?.verdict, 'failed', r.stderr);
  assert.match(probe?.summary ?? '', /host lookup helper (unreachable|failed)/);
  assert.equal(r.code, 1, r.stderr);
});

test('the helper is started only for a suite that names a host: url, host, server, or the drivers\' default localhost', async () => {
  const { namesAHost } = await import('../../src/run/load.ts');
  const { probeTypes } = await import('../../src/probes/index.ts');
  const { sinkTypes } = await import('../../src/sinks/index.ts');
  const probe = (type: string, spec: Record<string, unknown>) => ({ type: probeTypes[type]!, spec });
  const sink = (type: string, spec: Record<string, unknown>) => ({ type: sinkTypes[type]!, spec });
  const literal = [
    probe('tcp', { host: '127.0.0.1', port: 1 }), probe('tls', { host: '[::1]', port: 1 }), probe('http', { url: 'http://[::1]:8080/x' }),
    probe('postgres', { url: 'postgres://app@127.0.0.1:5432/app' }), probe('redis', { host: '::1' }),
    probe('dns', { query: 'www.test' }), probe('dns', { query: 'www.test', server: '127.0.0.1:5353' }),
    sink('webhook', { url: 'http://127.0.0.1/hook' }), sink('file', { path: '/tmp/record.json' }),
  ];
  assert.equal(namesAHost(literal), false);
  for (const named of [
    probe('http', { url: 'http://localhost/' }), probe('tcp', { host: 'db', port: 1 }), probe('mysql', {}),
    probe('postgres', { url: 'postgres:///app' }), probe('dns', { query: 'www.test', server: 'ns.test:53' }),
    sink('webhook', { url: 'https://hooks.example/x' }),
  ]) assert.equal(namesAHost([...literal, named]), true, JSON.stringify(named.spec));
});
