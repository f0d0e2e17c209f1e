// diffRuns: what changed between two records, with the thresholds docs/store.md gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffRuns } from '../../src/store/diff.ts';
import type { ProbeRecord, RunRecord } from '../../src/record/types.ts';
import { sampleRecord } from '../sinks/fixture.ts';

const http = (name: string, verdict: ProbeRecord['verdict'], observed: ProbeRecord['observed'], expect: string[]): ProbeRecord => ({
  name, type: 'http', target: 'GET http://x/', severity: 'critical', verdict, attempts: 1, durationMs: 1, error: null, observed,
  assertions: expect.map((e) => ({ expect: e, actual: '1', passed: verdict === 'passed' })), summary: '',
});
const run = (verdict: RunRecord['verdict'], probes: ProbeRecord[]): RunRecord => ({ ...sampleRecord(verdict), probes });

test('verdict changes, probes added and removed, moves beyond the threshold, assertions added and removed', () => {
  const a = run('passed', [
    http('api', 'passed', { status: 200, duration: 100, json: { orders: 100, name: 'x', items: [1, 2, 3] }, headers: { date: 'Mon' }, body: 'a' }, ['status == 200', 'json.orders > 0']),
    http('old', 'passed', { status: 200, duration: 5 }, ['status == 200']),
    http('steady', 'passed', { status: 200, duration: 3 }, ['status == 200']),
  ]);
  const b = run('failed', [
    http('api', 'failed', { status: 200, duration: 109, json: { orders: 89, name: 'y', items: [1, 2], extra: true }, headers: { date: 'Tue' }, body: 'b' }, ['status == 200', 'json.orders >= 90']),
    http('steady', 'passed', { status: 200, duration: 9 }, ['status == 200']),
    http('new', 'failed', null, []),
  ]);
  const d = diffRuns(a, b);
  assert.deepEqual(d.verdict, { from: 'passed', to: 'failed' });
  assert.deepEqual(d.probes, [
    { probe: 'api', from: 'passed', to: 'failed' },
    { probe: 'new', from: null, to: 'failed' },
    { probe: 'old', from: 'passed', to: null },
  ]);
  // duration 100 → 109 is under 10%; steady's 3 → 9 ms is +200% but under 10 ms; headers and body are not compared.
  assert.deepEqual(d.observations.map((m) => [m.probe, m.path, m.change, m.from, m.to, m.kind]), [
    ['api', 'json.orders', 'moved', 100, 89, 'any'],
    ['api', 'json.name', 'moved', 'x', 'y', 'any'],
    ['api', 'json.items.length', 'moved', 3, 2, 'any'],
    ['api', 'json.extra', 'added', null, true, 'any'],
  ]);
  assert.deepEqual(d.assertions, [{ probe: 'api', added: ['json.orders >= 90'], removed: ['json.orders > 0'] }]);
});

test('a duration moves when it changes by more than 10% and at least 10 ms', () => {
  const one = (ms: number) => run('passed', [http('api', 'passed', { status: 200, duration: ms }, [])]);
  assert.deepEqual(diffRuns(one(100), one(120)).observations.map((m) => [m.path, m.from, m.to, m.kind]), [['duration', 100, 120, 'duration']]);
  assert.deepEqual(diffRuns(one(20), one(29)).observations, []);
  assert.deepEqual(diffRuns(one(100), one(100)), { verdict: { from: 'passed', to: 'passed' }, probes: [], observations: [], assertions: [] });
});
