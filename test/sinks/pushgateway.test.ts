// The pushgateway sink against Debian's Prometheus Pushgateway, and a real Prometheus scraping it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deliverAll } from '../../src/sinks/deliver.ts';
import { metricsText, pushgateway } from '../../src/sinks/pushgateway.ts';
import { startPrometheus, startPushgateway, type PrometheusServer, type Server } from '../support/pushgateway.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

const window = { windowMs: 15_000 };

test('the metrics of a run in the text exposition format', () => {
  const record = sampleRecord('failed');
  const rev = record.app.revision;
  assert.equal(metricsText(record), `# HELP syncproof_run_verdict The verdict of the last run: 1 for the one it had, 0 for the others.
# TYPE syncproof_run_verdict gauge
syncproof_run_verdict{verdict="passed",revision="${rev}"} 0
syncproof_run_verdict{verdict="failed",revision="${rev}"} 1
syncproof_run_verdict{verdict="aborted",revision="${rev}"} 0
# HELP syncproof_probe_passed Whether the probe passed in the last run (0: failed, warned or skipped).
# TYPE syncproof_probe_passed gauge
syncproof_probe_passed{probe="ingress",revision="${rev}"} 1
syncproof_probe_passed{probe="database connection",revision="${rev}"} 0
syncproof_probe_passed{probe="replica lag",revision="${rev}"} 0
syncproof_probe_passed{probe="cache warm",revision="${rev}"} 0
syncproof_probe_passed{probe="reports api",revision="${rev}"} 0
# HELP syncproof_run_duration_seconds How long the last run took.
# TYPE syncproof_run_duration_seconds gauge
syncproof_run_duration_seconds{revision="${rev}"} 31.2
`);
  const odd = sampleRecord('passed', { app: { ...record.app, revision: null } });
  const named = { ...odd, probes: [{ ...odd.probes[0]!, name: 'say "hi" \\ there' }] };
  assert.match(metricsText(named), /\nsyncproof_probe_passed\{probe="say \\"hi\\" \\\\ there",revision=""\} 1\n/);
});

test('the target names the job URL without credentials or query', () => {
  assert.equal(pushgateway.target(pushgateway.spec.parse({ url: 'https://ops:pw@push.example.com:9091/base/?token=x' })), 'PUT https://push.example.com:9091/base/metrics/job/syncproof');
  assert.equal(pushgateway.spec.safeParse({ url: 'http://push:9091/metrics/job/x' }).error?.issues[0]?.message,
    'is the Pushgateway itself, without /metrics/job/…: syncproof adds the grouping key');
});

describe('pushgateway sink with a real Pushgateway and Prometheus', () => {
  let gateway: Server;
  let prometheus: PrometheusServer;
  before(async () => {
    gateway = await startPushgateway();
    prometheus = await startPrometheus(`127.0.0.1:${gateway.port}`);
  });
  after(async () => {
    await prometheus?.stop();
    await gateway?.stop();
  });

  const scrape = async () => (await (await fetch(`${gateway.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('syncproof_'));

  test('grouped by suite and app; a second run replaces the first, so a removed probe disappears', async () => {
    const record = sampleRecord('failed');
    const rev = record.app.revision!;
    const sink = sinkConfig('pushgateway', { url: `${gateway.url}/` });
    const [d] = await deliverAll(record, [sink], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered', d?.error ?? '');
    assert.equal(d?.target, `PUT ${gateway.url}/metrics/job/syncproof`);
    const group = `app="orders",instance="",job="syncproof",`;
    const lines = await scrape();
    assert.ok(lines.includes(`syncproof_run_verdict{${group}revision="${rev}",suite="orders",verdict="failed"} 1`), lines.join('\n'));
    assert.ok(lines.includes(`syncproof_probe_passed{${group}probe="ingress",revision="${rev}",suite="orders"} 1`), lines.join('\n'));
    assert.ok(lines.includes(`syncproof_probe_passed{${group}probe="replica lag",revision="${rev}",suite="orders"} 0`));
    assert.ok(lines.includes(`syncproof_run_duration_seconds{${group}revision="${rev}",suite="orders"} 31.2`));

    const next = sampleRecord('passed', { app: { ...record.app, revision: 'abcdef0' } });
    const fewer = { ...next, probes: next.probes.slice(0, 1) };
    assert.equal((await deliverAll(fewer, [sink], { ...window, log: memoryLog().log }))[0]?.outcome, 'delivered');
    const after = await scrape();
    assert.deepEqual(after.filter((l) => l.startsWith('syncproof_probe_passed')), [`syncproof_probe_passed{${group}probe="ingress",revision="abcdef0",suite="orders"} 1`]);
    assert.ok(!after.some((l) => l.includes(rev)), 'nothing of the replaced run is left');
  });

  test('a suite or app name with a slash travels base64-encoded and arrives as written; Prometheus scrapes the group', async () => {
    const record = sampleRecord('passed', { suite: 'team/payments', app: { ...sampleRecord().app, name: 'payments api' } });
    const [d] = await deliverAll(record, [sinkConfig('pushgateway', { url: gateway.url })], { ...window, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered', d?.error ?? '');
    const deadline = Date.now() + 20_000;
    let result: Awaited<ReturnType<PrometheusServer['query']>> = [];
    while (Date.now() < deadline) {
      result = await prometheus.query('syncproof_run_verdict{suite="team/payments",verdict="passed"}');
      if (result.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(result.length, 1, 'Prometheus scraped the pushed verdict');
    assert.deepEqual({ ...result[0]!.metric }, {
      __name__: 'syncproof_run_verdict', job: 'syncproof', suite: 'team/payments', app: 'payments api',
      verdict: 'passed', revision: record.app.revision!,
    });
    assert.equal(result[0]!.value[1], '1');
    const probes = await prometheus.query('syncproof_probe_passed{suite="team/payments"} == 0');
    assert.deepEqual(probes.map((r) => r.metric.probe).sort(), ['cache warm', 'database connection', 'replica lag', 'reports api']);
  });
});
