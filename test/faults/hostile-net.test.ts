// Hostile-response matrix, HTTP and TLS rows: whatever a target sends back, the run ends by its bound with
// its documented exit code, the record written and delivered, the other probes' results intact, and peak
// RSS within the chart's 256Mi. Minimal protocol peers on loopback (hostile-servers.ts) and real servers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { startHttpServer } from '../support/http-server.ts';
import { eventually } from '../support/receiver.ts';
import { assertRunGuarantees, CHART_MEMORY_MB, row, runFault, STARTUP_MS } from './harness.ts';
import { closeDelimitedServer, fixedBodyServer, hugeHeaderServer } from './hostile-servers.ts';
import { CUT_KEYS, RECORD_DEPTH_LIMIT } from '../../src/record/compact.ts';

/** One attempt of 3 s: room for two requests (a redirect) or a TLS handshake on a loaded 2-core machine. */
const ONCE = 'defaults:\n  within: 0s\n  timeout: 3s\n';
const ONE_ATTEMPT = { maxMs: 3500 };
const ONE_RUN = 3000 + STARTUP_MS + 2000;
const MEMORY = { maxRssMb: CHART_MEMORY_MB };

describe('hostile responses: HTTP and TLS', { concurrency: 3 }, () => {
  let certs: TestCerts;
  before(async () => { certs = await makeCerts(); });
  after(async () => { await certs?.remove(); });

  test('a mesh certificate (empty subject, a URI:spiffe name): observed, not exit 3', async (t) => {
    const server = await startHttpServer({ tls: certs.mesh });
    t.after(() => server.close());
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: tls, type: tls, host: localhost, port: ${server.port}, ca: "${certs.caPath}", expect: [authorized, 'subject == ""', 'altNames contains "URI:spiffe://cluster.local/ns/shop/sa/web"'] }
  - { name: https, type: http, url: "${server.url}/json", tls: { ca: "${certs.caPath}" }, expect: ["status == 200", 'tls.subject == ""'] }` });
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: ONE_RUN, ...MEMORY });
    row('mesh certificate (empty subject)', run, 'tls', { verdict: 'passed', reason: /^TLSv1\.3, expires in \d+d(\d+h)? in \d+ms$/, ...ONE_ATTEMPT });
    row('mesh certificate (empty subject)', run, 'https', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
  });

  test('a body delimited by the connection\'s close, still open at the timeout (HTTP/1.0, SSE)', async (t) => {
    const [old, sse] = await Promise.all([closeDelimitedServer('http/1.0'), closeDelimitedServer('sse')]);
    t.after(() => Promise.all([old.close(), sse.close()]));
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: http10, type: http, url: "${old.url}" }
  - { name: sse, type: http, url: "${sse.url}events" }
  - { name: other, type: tcp, host: 127.0.0.1, port: ${new URL(old.url).port} }` });
    assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: ONE_RUN, ...MEMORY });
    for (const name of ['http10', 'sse']) row('body until close, at the timeout', run, name, { verdict: 'failed', reason: /^timeout after 3s$/, ...ONE_ATTEMPT });
    row('body until close, at the timeout', run, 'other', { verdict: 'passed', reason: /^connected in \d+ms$/, ...ONE_ATTEMPT });
  });

  test('a body delimited by the connection\'s close, still open at SIGTERM and at the deadline', async (t) => {
    const sse = await closeDelimitedServer('sse');
    t.after(() => sse.close());
    const sigterm = (child: ChildProcess): void => {
      void eventually(() => sse.connections() >= 1, 'the stream open', 20_000).then(() => setTimeout(() => child.kill('SIGTERM'), 300), () => child.kill('SIGKILL'));
    };
    const [byTerm, byDeadline] = await Promise.all([
      runFault(t, { onSpawn: sigterm, suite: `defaults:\n  within: 0s\n  timeout: 30s\nprobes:\n  - { name: sse, type: http, url: "${sse.url}events" }` }),
      runFault(t, { suite: `deadline: 2s\ndefaults:\n  within: 0s\n  timeout: 2s\nprobes:\n  - { name: sse, type: http, url: "${sse.url}events" }` }),
    ]);
    assertRunGuarantees(byTerm, { code: 1, verdict: 'aborted', withinMs: 20_000 + STARTUP_MS, ...MEMORY });
    row('body until close, at SIGTERM', byTerm, 'sse', { verdict: 'failed', reason: /^aborted: SIGTERM$/, maxMs: 20_000 });
    assertRunGuarantees(byDeadline, { code: 1, verdict: 'aborted', withinMs: 2000 + STARTUP_MS, deadlineMs: 2000, ...MEMORY });
    row('body until close, at the deadline', byDeadline, 'sse', { verdict: 'failed', reason: /^aborted: deadline 2s reached$/, maxMs: 2500 });
  });

  test('1 MB of deeply nested JSON: assertions see it, the record keeps 32 levels', async (t) => {
    const arrays = await fixedBodyServer(`${'['.repeat(500_000)}${']'.repeat(500_000)}`);
    const objects = await fixedBodyServer(`${'{"a":'.repeat(170_000)}1${'}'.repeat(170_000)}`);
    t.after(() => Promise.all([arrays.close(), objects.close()]));
    const run = await runFault(t, { suite: `defaults:\n  within: 0s\n  timeout: 10s\nprobes:
  - { name: arrays, type: http, url: "${arrays.url}", expect: ["status == 200", "json.length == 1", "json[0][0][0].length == 1"] }
  - { name: objects, type: http, url: "${objects.url}", expect: ["json.a.a.a.a == 7"] }` });
    const record = assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: 10_000 + STARTUP_MS, ...MEMORY });
    row('1 MB of nested JSON', run, 'arrays', { verdict: 'passed', reason: /^200 in [\d.]+m?s$/, maxMs: 10_000 });
    row('1 MB of nested JSON', run, 'objects', { verdict: 'failed', reason: /^json\.a\.a\.a\.a = \{"a": \{"a": .*…" \(expected == 7\)$|^json\.a\.a\.a\.a = \{"a": \{.*… \(expected == 7\)$/, maxMs: 10_000 });
    let level: unknown = (record.probes[0]!.observed as { json: unknown }).json;
    for (let depth = 1; Array.isArray(level); depth++) {
      assert.ok(depth <= RECORD_DEPTH_LIMIT, 'cut at the depth limit');
      level = level[0];
    }
    assert.equal(level, `… [truncated, nested deeper than ${RECORD_DEPTH_LIMIT} levels]`);
  });

  test('a 0.8 MB object of 85,000 keys, 10 probes and 100: the record keeps 100 keys of each, memory within 256Mi', async (t) => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 85_000 }, (_, i) => [`k${i.toString(36)}`, i % 10])));
    assert.ok(wide.length > 800_000 && wide.length < 1024 * 1024, `${wide.length} bytes`);
    const server = await fixedBodyServer(wide);
    t.after(() => server.close());
    for (const count of [10, 100]) {
      const probes = Array.from({ length: count }, (_, i) => `  - { name: wide${i}, type: http, url: "${server.url}", expect: ["json.k${(84_999).toString(36)} == 9"] }`).join('\n');
      const run = await runFault(t, { suite: `defaults:\n  within: 0s\n  timeout: 20s\nprobes:\n${probes}` });
      const record = assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: 60_000 + STARTUP_MS, ...MEMORY });
      row(`85,000 keys × ${count} probes`, run, 'wide0', { verdict: 'passed', reason: /^200 in [\d.]+m?s$/, maxMs: 60_000 });
      const json = (record.probes[0]!.observed as { json: Record<string, unknown> }).json;
      assert.equal(json[CUT_KEYS], '[truncated, 85000 keys]');
      assert.equal(Object.keys(json).length, 101);
      assert.ok(JSON.stringify(record).length < count * 8 * 1024, `record of ${JSON.stringify(record).length} bytes`);
    }
  });

  test('a pattern that backtracks catastrophically: on the linear engine, or stopped at the timeout', async (t) => {
    const server = await fixedBodyServer(`${'a'.repeat(48)}!`, 'text/plain');
    t.after(() => server.close());
    // A deadline the run would pass by hours on the main thread; a verdict by 2 × the timeout (observe, then the pattern).
    const run = await runFault(t, { suite: `deadline: 6s\ndefaults:\n  within: 0s\n  timeout: 2s\nprobes:
  - { name: linear, type: http, url: "${server.url}", expect: ["body matches /^(a+)+$/"] }
  - { name: worker, type: http, url: "${server.url}", expect: ["body matches /^(a+)+$/i"] }
  - { name: fine, type: http, url: "${server.url}", expect: ["body matches /!$/i"] }` });
    assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: 4500 + STARTUP_MS, deadlineMs: 6000, ...MEMORY });
    row('catastrophic regex (linear engine)', run, 'linear', { verdict: 'failed', reason: /^body = "a{48}!" \(expected matches \/\^\(a\+\)\+\$\/\)$/, ...ONE_ATTEMPT });
    row('catastrophic regex (worker, i flag)', run, 'worker', { verdict: 'failed', reason: /^body = "a{48}!" \(the pattern ran past 2s without an answer\) \(expected matches \/\^\(a\+\)\+\$\/i\)$/, maxMs: 4500 });
    row('catastrophic regex (worker, i flag)', run, 'fine', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
  });

  test('100 probes whose patterns need the worker: two threads at most, memory within 256Mi', async (t) => {
    const server = await fixedBodyServer(`${'a'.repeat(48)}!`, 'text/plain');
    t.after(() => server.close());
    const probes = Array.from({ length: 100 }, (_, i) => `  - { name: p${i}, type: http, url: "${server.url}", expect: ["body matches /A+!$/i", "body matches /^(?=a)/"] }`).join('\n');
    const run = await runFault(t, { suite: `${ONCE}probes:\n${probes}` });
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: 20_000 + STARTUP_MS, ...MEMORY });
    row('100 probes of worker patterns', run, 'p0', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
    row('100 probes of worker patterns', run, 'p99', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
  });

  test('1 MB of dotted text with one "://": URL-password masking in one pass', async (t) => {
    const server = await fixedBodyServer(`${'a.'.repeat(512 * 1024 - 2)}://x`, 'text/plain');
    t.after(() => server.close());
    const run = await runFault(t, { suite: `deadline: 5s\ndefaults:\n  within: 0s\n  timeout: 5s\nprobes:
  - { name: dotted, type: http, url: "${server.url}", expect: ["status == 200", "body contains 'never'"] }` });
    assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: 5000 + STARTUP_MS, deadlineMs: 5000, ...MEMORY });
    row('1 MB of a.a.a… with one ://', run, 'dotted', { verdict: 'failed', reason: /^body = "a\.a\.a.*…" \(expected contains "never"\)$/, maxMs: 5000 });
  });

  test('a 200 KB response header: refused by the parser, the attempt fails at once', async (t) => {
    const server = await hugeHeaderServer(200_000);
    t.after(() => server.close());
    const run = await runFault(t, { suite: `${ONCE}probes:\n  - { name: header, type: http, url: "${server.url}" }` });
    assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: ONE_RUN, ...MEMORY });
    row('a 200 KB response header', run, 'header', { verdict: 'failed', reason: /^Headers Overflow Error \(127\.0\.0\.1:\d+\)$/, ...ONE_ATTEMPT });
  });
});
