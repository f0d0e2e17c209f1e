// A valid suite as the rest of syncproof receives it: typed, defaulted, positioned and frozen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import type { Suite } from '../../src/suite.ts';
import { tempFiles } from '../support/cli.ts';

async function load(t: { after: (fn: () => void) => void }, yaml: string): Promise<{ suite: Suite; file: string }> {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  return { suite: result.suite, file: files.path('suite.yaml') };
}

const YAML = `suite: orders
probes:
  - name: health
    type: http
    url: http://127.0.0.1:8080/healthz
    expect:
      - status == 200
      - duration < 1s
  - name: port
    type: tcp
    host: 127.0.0.1
    port: 8080
    expect: []
    timeout: 750ms
    within: 1m30s
  - name: tls
    type: tls
    host: example.internal
    after: [port]
sinks:
  - type: webhook
    url: https://ops.example/hook
    required: true
    on: failure
`;

test('built-in defaults, spec defaults, positions and per-type spec keys', async (t) => {
  const { suite, file } = await load(t, YAML);
  assert.equal(suite.name, 'orders');
  assert.equal(suite.concurrency, 8);
  assert.equal(suite.deadlineMs, 300_000);
  assert.deepEqual(suite.files, [file]);
  const [health, port, tls] = suite.probes;
  assert.deepEqual(health!.timing, { timeoutMs: 5000, withinMs: 30_000, intervalMs: 2000, passes: 1, severity: 'critical' });
  assert.deepEqual(health!.spec, { url: 'http://127.0.0.1:8080/healthz', method: 'GET', headers: {}, followRedirects: true });
  assert.deepEqual(health!.at, { file, line: 3, col: 5 });
  assert.deepEqual(health!.after, []);
  assert.deepEqual(port!.timing.timeoutMs, 750);
  assert.deepEqual(port!.timing.withinMs, 90_000);
  assert.deepEqual(tls!.spec.port, 443);
  assert.deepEqual(tls!.after, ['port']);
  assert.deepEqual(suite.sinks[0], { type: 'webhook', on: 'failure', required: true, spec: { url: 'https://ops.example/hook', headers: {}, timeout: 10_000 }, at: { file, line: 21, col: 5 } });
});

test('expect: the lines given, none for [], the type\'s defaults when absent', async (t) => {
  const { suite } = await load(t, YAML);
  const [health, port, tls] = suite.probes;
  assert.deepEqual(health!.expect.map((a) => [a.pathText, a.op]), [['status', '=='], ['duration', '<']]);
  assert.deepEqual(health!.expect[1], { text: 'duration < 1s', path: [{ key: 'duration' }], pathText: 'duration', op: '<', operand: { kind: 'duration', ms: 1000, text: '1s' } });
  assert.deepEqual(port!.expect, []);
  assert.deepEqual(tls!.expect.map((a) => a.text), ['authorized']);
});

test('the suite is deeply frozen', async (t) => {
  const { suite } = await load(t, YAML);
  const probe = suite.probes[0]!;
  assert.ok(Object.isFrozen(suite) && Object.isFrozen(suite.probes) && Object.isFrozen(probe));
  assert.ok(Object.isFrozen(probe.spec) && Object.isFrozen(probe.spec.headers) && Object.isFrozen(probe.timing));
  assert.ok(Object.isFrozen(probe.expect[1]) && Object.isFrozen((probe.expect[1] as { operand: object }).operand));
  assert.ok(Object.isFrozen(suite.sinks[0]!.spec) && Object.isFrozen(suite.files));
  assert.throws(() => (suite.probes as unknown as unknown[]).push(probe), TypeError);
  assert.throws(() => { (probe.timing as { timeoutMs: number }).timeoutMs = 1; }, TypeError);
});

test('YAML anchors and aliases are expanded', async (t) => {
  const { suite } = await load(t, 'defaults:\n  timeout: &t 3s\nprobes:\n  - name: a\n    type: tcp\n    host: &h 127.0.0.1\n    port: 1\n    within: *t\n  - name: b\n    type: tcp\n    host: *h\n    port: 2\n');
  assert.equal(suite.probes[0]!.timing.withinMs, 3000);
  assert.equal(suite.probes[1]!.spec.host, '127.0.0.1');
});
