import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunVerdict, SinkDelivery } from '../../src/record/types.ts';
import { deliverAll, sendsOn } from '../../src/sinks/deliver.ts';
import { deliveryLine } from '../../src/report/delivery-line.ts';
import { sinkTypes } from '../../src/sinks/index.ts';
import { startReceiver } from '../support/receiver.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

test('`on` against the verdict; an aborted run counts as a failure', () => {
  const table: [RunVerdict, boolean, boolean, boolean][] = [
    // verdict    always failure success
    ['passed', true, false, true],
    ['failed', true, true, false],
    ['aborted', true, true, false],
  ];
  for (const [verdict, always, failure, success] of table) {
    assert.deepEqual([sendsOn('always', verdict), sendsOn('failure', verdict), sendsOn('success', verdict)], [always, failure, success], verdict);
  }
});

test('only the sinks whose `on` matches are sent; the others are reported as not sent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-deliver-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sinks = (['always', 'failure', 'success'] as const).map((on) => sinkConfig('file', { path: join(dir, `${on}.json`) }, { on }));

  const failed = await deliverAll(sampleRecord('aborted'), sinks, { windowMs: 5000, log: memoryLog().log });
  assert.deepEqual(failed.map((d) => d.outcome), ['delivered', 'delivered', 'not-sent']);
  assert.deepEqual(failed.map((d) => d.attempts), [1, 1, 0]);
  assert.equal(existsSync(join(dir, 'success.json')), false);
  assert.equal(deliveryLine(failed[2]!), 'sink file: not sent (on: success)');

  rmSync(join(dir, 'failure.json'));
  const passed = await deliverAll(sampleRecord('passed'), sinks, { windowMs: 5000, log: memoryLog().log });
  assert.deepEqual(passed.map((d) => d.outcome), ['delivered', 'not-sent', 'delivered']);
  assert.equal(existsSync(join(dir, 'failure.json')), false);
  assert.equal(deliveryLine(passed[1]!), 'sink file: not sent (on: failure)');
});

test('deliveries run in parallel: two hanging receivers cost one timeout, not two', async (t) => {
  const a = await startReceiver(['hang']);
  const b = await startReceiver(['hang']);
  t.after(() => Promise.all([a.close(), b.close()]).then(() => {}));
  const sinks = [a, b].map((r) => sinkConfig('webhook', { url: r.origin, timeout: '800ms' }));
  const started = performance.now();
  const result = await deliverAll(sampleRecord(), sinks, { windowMs: 10_000, log: memoryLog().log, attempts: 1 });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 800 + 700, `took ${Math.round(elapsed)}ms`);
  assert.deepEqual(result.map((d) => d.error), ['timeout after 800ms', 'timeout after 800ms']);
});

test('an external abort (SIGTERM during delivery) closes the window at once', async (t) => {
  const r = await startReceiver(['hang']);
  t.after(() => r.close());
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 300);
  const started = performance.now();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 10_000, log: memoryLog().log, signal: stop.signal });
  assert.ok(performance.now() - started < 300 + 700);
  assert.equal(d?.outcome, 'failed');
});

test('every attempt and the outcome are logged', async (t) => {
  const r = await startReceiver([{ status: 502 }, { status: 200 }]);
  t.after(() => r.close());
  const { log, lines } = memoryLog();
  await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 10_000, log });
  const messages = lines.map((l) => (JSON.parse(l) as { msg: string; attempt?: number }));
  assert.deepEqual(messages.map((m) => [m.msg, m.attempt]), [['sink attempt failed; retrying', 1], ['sink delivered', 2]]);
});

test('the report lines', () => {
  const base: Omit<SinkDelivery, 'outcome' | 'attempts' | 'error'> = { type: 'slack', target: 'slack hooks.slack.com', required: false };
  assert.equal(deliveryLine({ ...base, outcome: 'delivered', attempts: 2, error: null }), 'sink slack: delivered');
  assert.equal(deliveryLine({ ...base, outcome: 'failed', attempts: 3, error: '503' }), 'sink slack: FAILED (503 after 3 attempts)');
  assert.equal(deliveryLine({ ...base, outcome: 'not-sent', attempts: 0, error: 'on: failure' }), 'sink slack: not sent (on: failure)');
});

test('the registry holds the five sink types of docs/sinks.md, each with its documented default `on`', () => {
  assert.deepEqual(Object.keys(sinkTypes).sort(), ['file', 'postgres', 'pushgateway', 'slack', 'webhook']);
  assert.deepEqual(Object.fromEntries(Object.values(sinkTypes).map((s) => [s.type, s.defaultOn])), {
    webhook: 'always', slack: 'failure', postgres: 'always', file: 'always', pushgateway: 'always',
  });
});
