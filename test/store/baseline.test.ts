// The `baseline` operand: parsed and kind-checked at load time, resolved from the baseline run's value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBaseline } from '../../src/assert/baseline.ts';
import { evaluate } from '../../src/assert/evaluate.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import type { Assertion } from '../../src/assert/ast.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { DNS, HTTP, POSTGRES } from '../assert/fields.ts';
import { applyBaselines } from '../../src/run/baselines.ts';
import type { ProbeConfig, Suite } from '../../src/suite.ts';
import type { Evidence } from '../../src/store/evidence.ts';
import { sampleRecord } from '../sinks/fixture.ts';

const parsed = (text: string, fields = HTTP): Assertion => {
  const r = parseAssertion(text, fields);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.assertion;
};

test('the forms of baseline parse into a reference, with the text kept as written', () => {
  const ref = (text: string, fields = HTTP) => {
    const a = parsed(text, fields);
    return 'baseline' in a ? a.baseline : undefined;
  };
  assert.deepEqual(ref('duration < baseline * 2'), { scale: 2 });
  assert.deepEqual(ref('json.orders >= baseline * 0.9'), { scale: 0.9 });
  assert.deepEqual(ref('replication.replicas >= baseline', POSTGRES), {});
  assert.deepEqual(ref('json.items.length >= baseline - 5'), { shift: { kind: 'number', value: -5 }, shiftText: '- 5' });
  assert.deepEqual(ref('tls.expiresIn > baseline-1d'), { shift: { kind: 'duration', ms: -86_400_000, text: '1d' }, shiftText: '- 1d' });
  assert.deepEqual(ref('duration <= baseline + 250ms'), { shift: { kind: 'duration', ms: 250, text: '250ms' }, shiftText: '+ 250ms' });
  assert.deepEqual(ref('role == baseline', POSTGRES), {});
  assert.equal(parsed('duration < baseline * 2').text, 'duration < baseline * 2');
  assert.equal(ref('body == "baseline"'), undefined, 'quoted, it is text');
});

test('kinds are checked at load time: a duration scales, a string does not', () => {
  const error = (text: string, fields = HTTP) => {
    const r = parseAssertion(text, fields);
    assert.ok(!r.ok, `${text} should not parse`);
    return `${r.offset}: ${r.message}`;
  };
  assert.equal(error('body == baseline * 2'), '8: "body" is text, so baseline * 2 cannot apply to it: only numbers and durations scale or shift');
  assert.equal(error('tls.authorized == baseline + 1'), '18: "tls.authorized" is true or false, so baseline + 1 cannot apply to it: only numbers and durations scale or shift');
  assert.equal(error('body < baseline'), '7: "body" is text, so < cannot order it');
  assert.equal(error('duration < baseline + 5'), '11: "duration" is a duration: write baseline + 5s or baseline + 5ms');
  assert.equal(error('status < baseline + 5s'), '9: "status" is a number, not a duration: baseline + 5s only shifts durations such as "duration"');
  assert.equal(error('json.n < baseline + 5s'), '9: "json.n" is not a duration field, not a duration: baseline + 5s only shifts durations such as "duration"');
  assert.equal(error('body contains baseline'), '14: contains cannot take baseline: compare with ==, !=, <, <=, > or >=');
  assert.equal(error('records in baseline', DNS), '11: in cannot take baseline: compare with ==, !=, <, <=, > or >=');
  assert.equal(error('status < baseline * 2s'), '20: baseline * needs a number, e.g. baseline * 2 or baseline * 0.9, not "2s"');
  assert.equal(error('status < baseline *'), '19: missing a number after baseline *');
  assert.equal(error('status < baseline + x'), '20: baseline + needs a number or a duration, e.g. baseline + 5 or baseline + 2s, not "x"');
  assert.equal(error('status < baseline 2'), '18: unexpected "2" after the value; one line holds one assertion (add another expect entry)');
  assert.match(error('status < baselines'), /^9: unexpected "baselines": text needs quotes/);
  assert.match(error('tls == baseline'), /^7: "tls" is an object: baseline compares numbers, durations, text, booleans and lists$/);
});

test('resolved: scaled and shifted numbers and durations, literal text and lists, not evaluated when it cannot be', () => {
  const duration = parsed('duration < baseline * 2');
  assert.ok('baseline' in duration && duration.baseline);
  const r = resolveBaseline(duration.baseline, duration.op, 'duration', 120, 'duration');
  assert.deepEqual(r, { ok: true, operand: { kind: 'duration', ms: 240, text: '240ms' }, value: 120 });
  assert.deepEqual(resolveBaseline({ shift: { kind: 'number', value: -5 } }, '>=', 'number', 12, 'json.items.length'), { ok: true, operand: { kind: 'number', value: 7 }, value: 12 });
  assert.deepEqual(resolveBaseline({}, '==', 'string', 'primary', 'role'), { ok: true, operand: { kind: 'string', value: 'primary' }, value: 'primary' });
  assert.deepEqual(resolveBaseline({}, '==', 'list', ['a', 1], 'records'), { ok: true, operand: { kind: 'list', items: [{ kind: 'string', value: 'a' }, { kind: 'number', value: 1 }] }, value: ['a', 1] });
  assert.deepEqual(resolveBaseline({}, '<', 'any', 'x', 'json.n'), { ok: false, reason: 'json.n is not a number in the baseline run' });
  assert.deepEqual(resolveBaseline({}, '==', 'any', undefined, 'json.n'), { ok: false, reason: 'json.n is missing in the baseline run' });
  assert.deepEqual(resolveBaseline({}, '==', 'any', { a: 1 }, 'json'), { ok: false, reason: 'json is an object in the baseline run, which baseline does not compare' });
});

const timing = { timeoutMs: 1000, withinMs: 0, intervalMs: 1000, passes: 1, severity: 'critical' as const };
function suiteWith(expect: string[]): Suite {
  const probe: ProbeConfig = {
    name: 'ingress', type: 'http', spec: { url: 'http://127.0.0.1:1/' }, timing, after: [],
    expect: expect.map((e) => parsed(e)), at: { file: 'suite.yaml', line: 1, col: 1 },
  };
  return { name: 'orders', concurrency: 1, deadlineMs: 60_000, probes: [probe], sinks: [], files: [] };
}

test('before the run, a baseline becomes a plain operand from the last passing run, or is set aside with why', () => {
  const suite = suiteWith(['status == 200', 'duration < baseline * 2', 'json.items.length >= baseline - 5', 'json.name == baseline']);
  const items = [...Array.from({ length: 100 }, (_, i) => i), '… [truncated, 250 items]'];
  const baseline = sampleRecord('passed');
  const run = { ...baseline, probes: [{ ...baseline.probes[0]!, type: 'http', observed: { status: 200, duration: 40, json: { items } } }] };
  const evidence: Evidence = { target: 'directory x', previous: run, baseline: run, error: null };
  const applied = applyBaselines(suite, evidence);
  const expect = applied.suite.probes[0]!.expect;
  assert.deepEqual(expect.map((a) => ('operand' in a ? a.operand : null)), [
    { kind: 'number', value: 200 }, { kind: 'duration', ms: 80, text: '80ms' }, { kind: 'number', value: 245 },
  ], 'the .length of a list the record cut is its full length');
  assert.deepEqual(applied.notEvaluated.get('ingress'), [{ expect: 'json.name == baseline', reason: `no baseline: json.name is missing in the baseline run ${run.id.slice(0, 8)}` }]);
  assert.deepEqual([...applied.baselines.get('ingress')!], [['duration < baseline * 2', '40ms'], ['json.items.length >= baseline - 5', '250']]);
  const fields = probeTypes.http!.fields;
  assert.equal(evaluate(expect[1]!, { status: 200, duration: 81 }, fields).passed, false);
  assert.equal(evaluate(expect[1]!, { status: 200, duration: 79 }, fields).passed, true);
  assert.equal(suite.probes[0]!.expect.length, 4, 'the loaded suite is not changed');

  const reasons = (e: Evidence | null) => applyBaselines(suite, e).notEvaluated.get('ingress')!.map((s) => s.reason);
  assert.deepEqual(reasons(null), Array(3).fill('no baseline: the suite has no store'));
  assert.deepEqual(reasons({ ...evidence, previous: null, baseline: null, error: 'connection refused' }), Array(3).fill('no baseline: the store could not be read'));
  assert.deepEqual(reasons({ ...evidence, baseline: null }), Array(3).fill('no baseline: no earlier passing run'));
  assert.deepEqual(reasons({ ...evidence, baseline: { ...run, probes: [] } }), Array(3).fill(`no baseline: the probe is not in the baseline run ${run.id.slice(0, 8)}`));
});
