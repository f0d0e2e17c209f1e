// The prometheus probe through the real CLI against a real Prometheus scraping a real target: a suite holds
// back a sync because the error rate is above its threshold, or lets it go once the rate falls within the window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../../src/record/types.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import { startMetricsTarget, startPrometheus, type MetricsTarget, type PrometheusServer } from '../support/prometheus.ts';

let target: MetricsTarget;
let prom: PrometheusServer;
before(async () => {
  target = await startMetricsTarget();
  target.set('orders_requests', 990, { code: '200' });
  target.set('orders_requests', 2, { code: '500' });
  prom = await startPrometheus(target);
  await prom.waitFor('orders_requests');
});
after(async () => {
  await prom?.stop();
  await target?.close();
});

const RATIO = 'sum(orders_requests{code=~\\"5..\\"}) / sum(orders_requests)';

async function run(probe: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; record: RunRecord }> {
  const files = tempFiles({ 'suite.yaml': `suite: orders\ndeadline: 1m\nprobes:\n${probe}` });
  try {
    const human = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', ''], { env });
    const json = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env });
    return { code: human.code, stdout: human.stdout, record: JSON.parse(json.stdout) as RunRecord };
  } finally {
    files.cleanup();
  }
}

test('an error ratio under the threshold passes; over it, the line says what it was', async () => {
  const probe = (threshold: number) => `  - name: error ratio\n    type: prometheus\n    url: ${prom.url}\n    query: "${RATIO}"\n    within: 0s\n    expect: [value < ${threshold}]\n`;
  const passing = await run(probe(0.01));
  assert.equal(passing.code, 0, passing.stdout);
  assert.match(passing.stdout, /✓ error ratio: value 0\.002\d* in \d+ms/);
  const failing = await run(probe(0.001));
  assert.equal(failing.code, 1, failing.stdout);
  assert.match(failing.stdout, /✗ error ratio: value = 0\.002\d* \(expected < 0\.001\)/);
  assert.equal(failing.record.probes[0]?.target, `promql ${prom.url}: ${RATIO.replaceAll('\\"', '"')}`);
});

test('"stays below 1% for 3 checks 1s apart": three consecutive passing attempts', async () => {
  const { code, stdout, record } = await run(`  - name: error ratio\n    type: prometheus\n    url: ${prom.url}\n    query: "${RATIO}"\n    passes: 3\n    interval: 1s\n    within: 20s\n    expect: [value < 0.01]\n`);
  assert.equal(code, 0, stdout);
  assert.equal(record.probes[0]?.attempts, 3);
  assert.match(stdout, /3 consecutive passes/);
});

test('the within window turns green once the rate falls', async () => {
  target.set('orders_requests', 200, { code: '500' });
  await prom.waitFor(RATIO.replaceAll('\\"', '"'), (v) => v > 0.1);
  const falls = setTimeout(() => target.set('orders_requests', 2, { code: '500' }), 2500);
  try {
    const files = tempFiles({ 'suite.yaml': `probes:\n  - name: error ratio\n    type: prometheus\n    url: ${prom.url}\n    query: "${RATIO}"\n    interval: 1s\n    within: 30s\n    expect: [value < 0.01]\n` });
    const json = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
    files.cleanup();
    const record = JSON.parse(json.stdout) as RunRecord;
    assert.equal(json.code, 0, json.stdout);
    assert.ok((record.probes[0]?.attempts ?? 0) > 1, `passed only after the rate fell: ${record.probes[0]?.attempts} attempts`);
  } finally {
    clearTimeout(falls);
    target.set('orders_requests', 2, { code: '500' });
  }
});

test('the record keeps NaN and ±Inf as Prometheus writes them, not as null', async () => {
  const { code, record } = await run(`  - {name: no traffic, type: prometheus, url: "${prom.url}", query: "vector(0) / 0", within: 0s, expect: [value < 0.01]}\n  - {name: infinite, type: prometheus, url: "${prom.url}", query: "vector(1) / 0", within: 0s, expect: [value > 1000]}\n`);
  assert.equal(code, 1);
  const [nan, inf] = record.probes;
  assert.equal(nan?.verdict, 'failed');
  assert.equal(nan?.observed?.value, 'NaN');
  assert.equal(inf?.verdict, 'passed');
  assert.equal(inf?.observed?.value, '+Inf');
});
