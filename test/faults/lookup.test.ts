// Fault matrix, the system resolver never answers: every probe and sink given a host name waits in
// getaddrinfo(), which runs on libuv's threadpool and cannot be cancelled (an aborted attempt only stops
// waiting for it). The run must still end at its deadline (or its delivery window) with a report, a
// record written and delivered, and its own exit code, however long the lookups hang.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { deadResolver, deadResolverUnavailable } from '../support/dead-resolver.ts';
import { assertRunGuarantees, GRACE_MS, noteSinkRow, row, runFault, STARTUP_MS } from './harness.ts';

const skip = await deadResolverUnavailable();

describe('system resolver never answers', { concurrency: true, skip }, () => {
  test('every probe given a host name hangs in its lookup: aborted at the deadline, the process ends long before the lookups', async (t) => {
    // 30 s × 2 tries per name: the lookups outlive deadline + grace by far.
    const resolver = await deadResolver({ timeoutS: 30, attempts: 2 });
    t.after(() => resolver.close());
    const kinds = [
      (i: number) => `{ name: p${i}, type: http, url: "http://h${i}.hang.test/" }`,
      (i: number) => `{ name: p${i}, type: tcp, host: h${i}.hang.test, port: 80 }`,
      (i: number) => `{ name: p${i}, type: tls, host: h${i}.hang.test, port: 443 }`,
      (i: number) => `{ name: p${i}, type: postgres, url: "postgres://app@h${i}.hang.test/app" }`,
      (i: number) => `{ name: p${i}, type: mysql, url: "mysql://app@h${i}.hang.test/app" }`,
      (i: number) => `{ name: p${i}, type: redis, url: "redis://h${i}.hang.test" }`,
      (i: number) => `{ name: p${i}, type: dns, query: www.test, server: "ns${i}.hang.test" }`,
    ];
    const probes = Array.from({ length: 21 }, (_, i) => `  - ${kinds[i % kinds.length]!(i)}`).join('\n');
    // A timeout as long as the deadline (no longer is allowed): every attempt starts after the run, so the deadline comes first.
    const run = await runFault(t, {
      wrap: resolver.wrap,
      // c-ares (a dns probe without `server`) asks the same dead resolver, and can be cancelled.
      suite: `deadline: 2s\nconcurrency: 30\ndefaults:\n  timeout: 2s\nprobes:\n${probes}\n  - { name: system, type: dns, query: www.hang.test }`,
    });
    // A lookup still pending in the helper keeps nothing alive: the loop drains and the process ends by itself.
    assertRunGuarantees(run, { code: 1, verdict: 'aborted', withinMs: 2000 + STARTUP_MS + 1000, deadlineMs: 2000 });
    const reason = /^aborted: deadline 2s reached$/;
    for (const p of run.record?.probes ?? []) {
      if (['p0', 'p1', 'p3', 'p6', 'system'].includes(p.name)) row('system resolver never answers', run, p.name, { verdict: 'failed', reason, maxMs: 3000 });
      else { assert.equal(p.verdict, 'failed', p.name); assert.match(p.summary, reason, p.name); assert.ok(p.durationMs <= 3000, `${p.name}: ${p.durationMs}ms`); }
    }
    assert.equal(run.record?.probes.length, 22);
    assert.ok(resolver.queries() >= 10, `the lookups reached the dead resolver (${resolver.queries()} queries)`);
    assert.ok((run.exit?.stdoutToExitMs ?? Infinity) <= 1000, `exit ${run.exit?.stdoutToExitMs}ms after the report`);
    assert.ok(run.elapsedMs < 2000 + GRACE_MS, `ended before deadline + grace (${Math.round(run.elapsedMs)}ms)`);
  });

  test('a sink\'s host lookup hangs after a passing run: the sink fails by its timeout, exit 0 within the delivery window', async (t) => {
    const resolver = await deadResolver({ timeoutS: 30, attempts: 2 });
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => Promise.all([resolver.close(), new Promise<void>((resolve) => server.close(() => resolve()))]));
    const { port } = server.address() as net.AddressInfo;
    const run = await runFault(t, {
      wrap: resolver.wrap,
      suite: `probes:\n  - { name: db, type: tcp, host: 127.0.0.1, port: ${port} }`,
      sinks: '  - { type: webhook, url: "http://sink.hang.test/hook", timeout: 1s }\n',
    });
    // 3 attempts of 1 s and backoff (at most 0.5 s + 1 s); the pending lookups do not hold the exit.
    const bound = 3 * 1000 + 1500 + STARTUP_MS + 1000;
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: bound });
    noteSinkRow('a sink\'s host lookup hangs', run, /^sink webhook: FAILED \(timeout after 1s after 3 attempts\)$/, bound);
    assert.ok(resolver.queries() > 0, 'the sink\'s lookup reached the dead resolver');
  });
});
