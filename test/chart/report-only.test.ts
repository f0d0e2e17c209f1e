// The report-only runs (SyncFail hook, CronJob) run the image's entrypoint under the chart's
// /bin/sh wrapper. Here that wrapper, as rendered, runs the real CLI: the run is recorded and
// delivered whatever it finds, a SIGTERM (deadline, drain) reaches syncproof, and the exit is 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CLI, tempFiles } from '../support/cli.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { missingTools } from './support/tools.ts';
import { BASE, byName, podSpecOf, renderWith } from './support/argocd.ts';

const skip = missingTools();

/** The rendered command with the image's node and entrypoint replaced by this checkout's. */
function reportOnlyCommand(): string[] {
  const job = byName(renderWith({ ...BASE, syncFail: { enabled: true } }), 'Job', 'orders-syncproof-syncfail');
  const command = (podSpecOf(job).containers[0] as { command?: string[] } | undefined)?.command ?? [];
  assert.deepEqual(command.slice(-2), ['/usr/local/bin/node', '/app/bin/syncproof.js']);
  return [...command.slice(0, -2), process.execPath, CLI];
}

/** The process unshare --fork started (the namespace's PID 1), by its PID outside. */
function forkedChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  assert.equal(children.length, 1, `unshare has one child: ${children.join(' ')}`);
  return Number(children[0]);
}

function run(command: string[], args: string[], onSpawn?: (pid: number) => void): Promise<{ code: number | null; stderr: string }> {
  const [file, ...rest] = command as [string, ...string[]];
  const child = spawn(file, [...rest, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  if (child.pid !== undefined) onSpawn?.(child.pid);
  return new Promise((resolve) => child.on('close', (code) => { clearTimeout(killer); resolve({ code, stderr }); }));
}

test('a failed run is recorded and delivered, and the report-only wrapper exits 0', { skip }, async (t) => {
  const port = await refusedPort();
  const files = tempFiles({});
  t.after(files.cleanup);
  const record = files.path('record.json');
  const suite = { suite: 'orders', probes: [{ name: 'db port', type: 'tcp', host: '127.0.0.1', port, within: '0s' }], sinks: [{ type: 'file', path: record }] };
  const dir = tempFiles({ 'suite.yaml': stringify(suite) });
  t.after(dir.cleanup);
  const plain = await run([process.execPath, CLI], ['run', '--config', dir.dir, '--termination-log', '']);
  assert.equal(plain.code, 1, 'without the wrapper the run fails');
  const wrapped = await run(reportOnlyCommand(), ['run', '--config', dir.dir, '--termination-log', files.path('termination')]);
  assert.equal(wrapped.code, 0, wrapped.stderr);
  assert.match(wrapped.stderr, /syncproof exited 1; a report-only run exits 0/);
  assert.equal((JSON.parse(readFileSync(record, 'utf8')) as { verdict: string }).verdict, 'failed');
  assert.match(readFileSync(files.path('termination'), 'utf8'), /^FAILED/, 'the termination message still says what was found');
});

test('a missing suite (the ConfigMap not applied yet) is a configuration error, exit 0', { skip }, async () => {
  const wrapped = await run(reportOnlyCommand(), ['run', '--config', join('/nonexistent', 'etc-syncproof'), '--termination-log', '']);
  assert.equal(wrapped.code, 0);
  assert.match(wrapped.stderr, /syncproof exited 2/);
});

// In a Pod the wrapper is PID 1, which the kernel delivers no signal to without a handler: run it so
// in a PID namespace of its own (unshare --fork; unshare itself ignores SIGTERM) and signal it from
// outside, as the container runtime does.
const pidNamespace = spawnSync('unshare', ['--pid', '--fork', 'true'], { stdio: 'ignore' }).status === 0;

test('SIGTERM to the wrapper as PID 1 reaches syncproof, which records the aborted run', { skip: skip ?? (pidNamespace ? undefined : 'unshare --pid needs root') }, async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const files = tempFiles({});
  t.after(files.cleanup);
  const record = files.path('record.json');
  const suite = { suite: 'orders', deadline: '1m', probes: [{ name: 'api', type: 'http', url: `http://127.0.0.1:${peer.port}/`, timeout: '50s', within: '0s' }], sinks: [{ type: 'file', path: record }] };
  const dir = tempFiles({ 'suite.yaml': stringify(suite) });
  t.after(dir.cleanup);
  const asPid1 = ['unshare', '--pid', '--fork', '--kill-child=SIGKILL', ...reportOnlyCommand()];
  const started = performance.now();
  const wrapped = await run(asPid1, ['run', '--config', dir.dir, '--termination-log', ''], (unsharePid) => {
    const poll = setInterval(() => {
      if (peer.accepted() === 0) return;
      clearInterval(poll);
      process.kill(forkedChild(unsharePid), 'SIGTERM');
    }, 50);
  });
  assert.equal(wrapped.code, 0, `unshare passes on the wrapper's exit code: ${wrapped.stderr}`);
  assert.match(wrapped.stderr, /syncproof exited 1; a report-only run exits 0/, 'syncproof saw the SIGTERM and aborted');
  assert.ok(performance.now() - started < 40_000, 'long before the 50 s attempt timeout');
  assert.ok(existsSync(record), 'the aborted run was delivered');
  assert.equal((JSON.parse(readFileSync(record, 'utf8')) as { verdict: string }).verdict, 'aborted');
});
