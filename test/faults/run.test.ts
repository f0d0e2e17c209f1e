// Fault matrix, run-level rows: a sink down or hanging, SIGTERM mid-run, the deadline mid-run (also
// while a sink hangs: deadline + grace), and a hundred probes hanging at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { refusedPort, silentPeer, type SilentPeer } from '../support/net.ts';
import { eventually, startReceiver } from '../support/receiver.ts';
import { assertRunGuarantees, GRACE_MS, noteSinkRow, row, runFault, STARTUP_MS } from './harness.ts';

async function openPort(t: { after: (fn: () => Promise<void>) => void }): Promise<number> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Sends SIGTERM once the peer has accepted `count` connections: attempts are in flight. */
function sigtermWhenAccepted(peer: SilentPeer, count: number): (child: ChildProcess) => void {
  return (child) => {
    void eventually(() => peer.accepted() >= count, 'attempts in flight', 20_000).then(() => child.kill('SIGTERM'), () => child.kill('SIGKILL'));
  };
}

describe('run-level faults', { concurrency: true }, () => {
  test('a sink that is down (refused): reported, retried, the other sinks deliver; required, it fails the run', async (t) => {
    const port = await openPort(t);
    const down = await refusedPort();
    const suite = `probes:\n  - { name: db, type: tcp, host: 127.0.0.1, port: ${port} }`;
    const optional = await runFault(t, { suite, sinks: `  - { type: webhook, url: "http://127.0.0.1:${down}/hook" }\n` });
    assertRunGuarantees(optional, { code: 0, verdict: 'passed', withinMs: 3000 + STARTUP_MS });
    noteSinkRow('sink down (optional)', optional, new RegExp(`^sink webhook: FAILED \\(connection refused \\(127\\.0\\.0\\.1:${down}\\) after 3 attempts\\)$`), 3000 + STARTUP_MS);
    const required = await runFault(t, { suite, sinks: `  - { type: webhook, url: "http://127.0.0.1:${down}/down", required: true }\n` });
    // The probe passed and the record was written, but the evidence did not reach a required sink.
    assert.equal(required.record?.verdict, 'passed');
    assert.equal(required.code, 1);
    assert.match(required.stdout, /\nFAILED: evidence not recorded \(sink webhook\); 1 of 1 probes passed in /);
    assert.ok(required.exit?.natural && required.exit.unhandled.length === 0);
    noteSinkRow('sink down (required)', required, /^sink webhook: FAILED \(connection refused \(127\.0\.0\.1:\d+\) after 3 attempts\)$/, 3000 + STARTUP_MS);
  });

  test('a sink that hangs: each attempt bounded by its timeout, the run still reports', async (t) => {
    const port = await openPort(t);
    const hang = await startReceiver(['hang']);
    t.after(() => hang.close());
    const run = await runFault(t, {
      suite: `probes:\n  - { name: db, type: tcp, host: 127.0.0.1, port: ${port} }`,
      // 2 s, not less: on a loaded machine a shorter attempt could time out before its request arrives.
      sinks: `  - { type: webhook, url: "${hang.origin}/hang", timeout: 2s }\n`,
    });
    // 3 attempts of 2 s and backoff (at most 0.5 s + 1 s) between them.
    const bound = 3 * 2000 + 1500 + STARTUP_MS;  // start-up slack covers the delivery's own scheduling too
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: bound });
    noteSinkRow('sink hangs', run, /^sink webhook: FAILED \(timeout after 2s after 3 attempts\)$/, bound);
    assert.equal(hang.requests.length, 3);
    await eventually(() => hang.open() === 0, 'the hanging connections closed');
  });

  test('SIGTERM mid-run: in-flight attempts aborted, record finished and delivered, exit 1', async (t) => {
    const peer = await silentPeer();
    t.after(() => peer.close());
    const run = await runFault(t, {
      suite: `defaults:\n  timeout: 1m\nprobes:
  - { name: api, type: http, url: "http://127.0.0.1:${peer.port}/" }
  - { name: db, type: postgres, url: "postgres://app@127.0.0.1:${peer.port}/app" }
  - { name: later, type: tcp, host: 127.0.0.1, port: ${peer.port}, after: [api] }`,
      onSpawn: sigtermWhenAccepted(peer, 2),
    });
    assertRunGuarantees(run, { code: 1, verdict: 'aborted', withinMs: 20_000 + GRACE_MS });
    assert.equal(run.record?.abortReason, 'SIGTERM');
    for (const name of ['api', 'db']) row('SIGTERM mid-run', run, name, { verdict: 'failed', reason: /^aborted: SIGTERM$/, maxMs: 20_000 });
    row('SIGTERM mid-run', run, 'later', { verdict: 'failed', reason: /^aborted: SIGTERM before it started, while it waited for api$/, maxMs: 20_000 });
    assert.match(run.stdout, /\nABORTED \(SIGTERM\): 3 of 3 probes failed in /);
    assert.ok((run.exit?.stdoutToExitMs ?? Infinity) < 1000, 'exits at once after the report');
    await eventually(() => peer.open() === 0, 'the aborted sockets closed');
  });

  test('SIGTERM again during delivery: ignored, the record still reaches the sinks within the grace, exit 1', async (t) => {
    const peer = await silentPeer();
    const hang = await startReceiver(['hang']);
    t.after(() => Promise.all([peer.close(), hang.close()]));
    let second = 0;
    const run = await runFault(t, {
      suite: `defaults:\n  timeout: 1m\nprobes:\n  - { name: api, type: http, url: "http://127.0.0.1:${peer.port}/" }`,
      sinks: `  - { type: webhook, url: "${hang.origin}/hang", timeout: 1h }\n`,
      onSpawn: (child) => {
        sigtermWhenAccepted(peer, 1)(child);
        // The second signal lands while the hanging sink holds the delivery open.
        void eventually(() => hang.requests.length >= 1, 'delivery in progress', 20_000)
          .then(() => { second = performance.now(); child.kill('SIGTERM'); }, () => child.kill('SIGKILL'));
      },
    });
    assert.ok(second > 0, 'the second SIGTERM was sent');
    assertRunGuarantees(run, { code: 1, verdict: 'aborted', withinMs: 20_000 + GRACE_MS });
    row('SIGTERM twice', run, 'api', { verdict: 'failed', reason: /^aborted: SIGTERM$/, maxMs: 20_000 });
    noteSinkRow('SIGTERM twice', run, /^sink webhook: FAILED \(delivery window of 10s closed after 1 attempt\)$/, 20_000 + GRACE_MS);
  });

  test('the deadline mid-run: in-flight attempts aborted at it, within deadline + start-up', async (t) => {
    const peer = await silentPeer();
    t.after(() => peer.close());
    // A timeout as long as the deadline (no longer is allowed): the attempts start after the run, so the deadline comes first.
    const run = await runFault(t, { suite: `deadline: 1500ms\ndefaults:\n  timeout: 1500ms\nprobes:
  - { name: api, type: http, url: "http://127.0.0.1:${peer.port}/" }
  - { name: cache, type: redis, url: "redis://127.0.0.1:${peer.port}" }
  - { name: later, type: tcp, host: 127.0.0.1, port: ${peer.port}, after: [api] }` });
    assertRunGuarantees(run, { code: 1, verdict: 'aborted', withinMs: 1500 + STARTUP_MS, deadlineMs: 1500 });
    for (const name of ['api', 'cache']) row('deadline mid-run', run, name, { verdict: 'failed', reason: /^aborted: deadline 1\.5s reached$/, maxMs: 1500 + 500 });
    row('deadline mid-run', run, 'later', { verdict: 'failed', reason: /^aborted: deadline 1\.5s reached before it started, while it waited for api$/, maxMs: 1500 + 500 });
    assert.equal(peer.open(), 0);
  });

  test('the deadline while a sink hangs with no timeout: delivery cut at the grace, exit before deadline + grace', async (t) => {
    const peer = await silentPeer();
    const hang = await startReceiver(['hang']);
    t.after(() => Promise.all([peer.close(), hang.close()]));
    const run = await runFault(t, {
      suite: `deadline: 1s\ndefaults:\n  timeout: 1s\nprobes:\n  - { name: api, type: http, url: "http://127.0.0.1:${peer.port}/" }`,
      sinks: `  - { type: webhook, url: "${hang.origin}/hang", timeout: 1h }\n`,
    });
    assertRunGuarantees(run, { code: 1, verdict: 'aborted', withinMs: 1000 + GRACE_MS + STARTUP_MS, deadlineMs: 1000 });
    row('deadline, then a sink hangs', run, 'api', { verdict: 'failed', reason: /^aborted: deadline 1s reached$/, maxMs: 1500 });
    noteSinkRow('deadline, then a sink hangs', run, /^sink webhook: FAILED \(delivery window of 10s closed after 1 attempt\)$/, 1000 + GRACE_MS + STARTUP_MS);
    assert.ok(run.elapsedMs >= 1000 + GRACE_MS - 500, `the sink had its grace (${Math.round(run.elapsedMs)}ms)`);
  });

  for (const how of ['timeout', 'deadline'] as const) {
    test(`a hundred probes hanging at once, ended by their ${how}`, async (t) => {
      const peer = await silentPeer();
      t.after(() => peer.close());
      const types = [
        (i: number) => `{ name: p${i}, type: http, url: "http://127.0.0.1:${peer.port}/${i}" }`,
        (i: number) => `{ name: p${i}, type: tls, host: 127.0.0.1, port: ${peer.port} }`,
        (i: number) => `{ name: p${i}, type: postgres, url: "postgres://app@127.0.0.1:${peer.port}/app" }`,
        (i: number) => `{ name: p${i}, type: mysql, url: "mysql://app@127.0.0.1:${peer.port}/app" }`,
        (i: number) => `{ name: p${i}, type: redis, url: "redis://127.0.0.1:${peer.port}" }`,
      ];
      const probes = Array.from({ length: 100 }, (_, i) => `  - ${types[i % types.length]!(i)}`).join('\n');
      const timing = how === 'timeout' ? 'defaults:\n  within: 0s\n  timeout: 2s\n' : 'deadline: 2s\ndefaults:\n  timeout: 2s\n';
      const run = await runFault(t, { suite: `concurrency: 100\n${timing}probes:\n${probes}` });
      assertRunGuarantees(run, { code: 1, verdict: how === 'timeout' ? 'failed' : 'aborted', withinMs: 2000 + STARTUP_MS + 2000 });
      const reason = how === 'timeout' ? /^timeout after 2s$/ : /^aborted: deadline 2s reached$/;
      for (const p of run.record?.probes ?? []) {
        if (p.name === 'p0' || p.name === 'p99') row(`100 probes hanging (${how})`, run, p.name, { verdict: 'failed', reason, maxMs: 3000 });
        else { assert.equal(p.verdict, 'failed'); assert.match(p.summary, reason, p.name); assert.ok(p.durationMs <= 3000, `${p.name}: ${p.durationMs}ms`); }
      }
      assert.equal(run.record?.probes.length, 100);
      assert.equal(peer.accepted(), 100, 'all hundred were in flight at once');
      await eventually(() => peer.open() === 0, 'all hundred sockets closed');
    });
  }
});
