// The host-lookup helper (src/process/host-lookup.ts) is started in the run's load phase, so no attempt pays
// for forking and booting it, and waited for only so long, so a helper slow to boot holds no probe of an IP
// literal; a fork that fails is a failed lookup, reported as data, not a crash.
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

type ProbeRecord = { name: string; verdict: string; summary: string; attempts: number; durationMs: number };

async function runPair(t: import('node:test').TestContext, env: NodeJS.ProcessEnv, named: string) {
  const server = await tcpServer();
  t.after(server.close);
  const files = tempFiles({ 'suite.yaml': `deadline: 3s
probes:
  - { name: literal, type: tcp, host: 127.0.0.1, port: ${server.port}, timeout: 300ms, within: 0s }
  - { name: by-name, type: tcp, host: localhost, port: ${server.port}, ${named} }
` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env: { NODE_OPTIONS: PRELOAD, ...env } });
  const probes = (JSON.parse(r.stdout || '{"probes":[]}') as { probes: ProbeRecord[] }).probes;
  return { r, literal: probes.find((p) => p.name === 'literal'), named: probes.find((p) => p.name === 'by-name') };
}

test('a helper that never gets ready in time holds nothing: the IP literal passes, the named probe fails on its own timeout', async (t) => {
  // The helper boots in 20 s, long after the 3 s deadline; the load phase waits for it 750 ms at most.
  const { r, literal, named } = await runPair(t, { HELPER_FORK_SLOW_MS: '20000' }, 'timeout: 300ms, within: 600ms');
  assert.equal(literal?.verdict, 'passed', `${literal?.summary}\n${r.stderr}`);
  assert.equal(literal?.attempts, 1);
  assert.equal(named?.verdict, 'failed', r.stderr);
  assert.match(named?.summary ?? '', /timeout after 300ms/);
  assert.doesNotMatch(named?.summary ?? '', /deadline/);
  assert.equal(r.code, 1, r.stderr);
  // 0.75 s of load phase, ~1 s of attempts and backoff, start-up: far from the helper's 20 s, and the
  // exit kills the helper rather than waiting for it.
  assert.ok(r.elapsedMs < 8000, `ended in ${Math.round(r.elapsedMs)}ms`);
});

/** Whether `pid` still runs (a zombie left for init to reap does not): polled for a moment, as SIGKILL lands asynchronously. */
async function aliveAfterExit(pid: number): Promise<boolean> {
  const { readFileSync } = await import('node:fs');
  const running = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 20 && running(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return running();
}

async function helperPids(t: import('node:test').TestContext): Promise<{ file: string; pids: () => number[] }> {
  const files = tempFiles({ pids: '' });
  t.after(files.cleanup);
  const { readFileSync } = await import('node:fs');
  return { file: files.path('pids'), pids: () => readFileSync(files.path('pids'), 'utf8').split('\n').filter(Boolean).map(Number) };
}

test('a helper still booting when the run ends is killed, also after its child process reported an error', async (t) => {
  for (const extra of [{}, { HELPER_FORK_ERROR_MS: '200' }]) {
    const pids = await helperPids(t);
    // Blocked for 20 s, the helper would outlive the run by far if nothing killed it.
    const { r, literal } = await runPair(t, { HELPER_FORK_SLOW_MS: '20000', HELPER_FORK_PID_FILE: pids.file, ...extra }, 'timeout: 300ms, within: 600ms');
    assert.equal(literal?.verdict, 'passed', `${JSON.stringify(extra)}: ${literal?.summary}\n${r.stderr}`);
    assert.ok(pids.pids().length >= 1, `${JSON.stringify(extra)}: the helper was forked`);
    for (const pid of pids.pids()) assert.equal(await aliveAfterExit(pid), false, `${JSON.stringify(extra)}: helper ${pid} outlived the run`);
  }
});

test('a lookup asked before the helper is ready queues to it: the named probe passes once it boots', async (t) => {
  // Ready after 1.5 s, past the 750 ms cap; the named probe's single 2.5 s attempt waits for its answer.
  const { r, literal, named } = await runPair(t, { HELPER_FORK_SLOW_MS: '1500' }, 'timeout: 2500ms, within: 0s');
  assert.equal(literal?.verdict, 'passed', `${literal?.summary}\n${r.stderr}`);
  assert.equal(named?.verdict, 'passed', `${named?.summary}\n${r.stderr}`);
  assert.equal(named?.attempts, 1);
  // The literal did not wait for the helper; the named probe did, inside its attempt.
  assert.ok((literal?.durationMs ?? Infinity) < 500, `literal took ${literal?.durationMs}ms`);
  assert.ok((named?.durationMs ?? 0) > 300, `named took ${named?.durationMs}ms`);
  assert.equal(r.code, 0, r.stderr);
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
  const probe = (type: string, spec: Record<string, unknown>) => ({ type: probeTypes[type]!, spec: probeTypes[type]!.spec.parse(spec) });
  const sink = (type: string, spec: Record<string, unknown>) => ({ type: sinkTypes[type]!, spec: sinkTypes[type]!.spec.parse(spec) });
  const literal = [
    probe('tcp', { host: '127.0.0.1', port: 1 }), probe('tls', { host: '[::1]', port: 1 }), probe('http', { url: 'http://[::1]:8080/x' }),
    probe('postgres', { url: 'postgres://app@127.0.0.1:5432/app' }), probe('redis', { url: 'redis://[::1]:6379/0' }),
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
