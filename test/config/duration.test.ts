// Durations (docs/suite.md, "Durations"): 250ms, 5s, 2m, 1h, 14d and compounds like 1m30s, units largest first, each at most once.
// FUZZ_RUNS=N runs N cases per property (default 1000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DURATION_PATTERN, durationHint, durationProblem, formatDuration, parseDuration } from '../../src/duration.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const UNITS = ['d', 'h', 'm', 's', 'ms'] as const;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

test('examples that are durations', () => {
  const cases: [string, number][] = [
    ['250ms', 250], ['5s', 5000], ['2m', 120_000], ['1h', 3_600_000], ['14d', 1_209_600_000], ['0s', 0],
    ['1m30s', 90_000], ['1h30m', 5_400_000], ['1d2h3m4s5ms', 93_784_005], ['2m500ms', 120_500], ['1.5s', 1500],
    ['1h0m', 3_600_000], ['90s', 90_000], ['0.5ms', 1],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('examples that are not, and why', () => {
  const cases: [string, ReturnType<typeof durationProblem>][] = [
    ['5s5s', { kind: 'repeated', unit: 's' }], ['1m1m', { kind: 'repeated', unit: 'm' }], ['1ms2ms', { kind: 'repeated', unit: 'ms' }],
    ['1s1m', { kind: 'order' }], ['30s1m', { kind: 'order' }], ['1ms1s', { kind: 'order' }], ['1m1h', { kind: 'order' }], ['1h1d', { kind: 'order' }],
    ['1s1m1s', { kind: 'repeated', unit: 's' }],
    ['', { kind: 'syntax' }], ['5', { kind: 'syntax' }], ['5 s', { kind: 'syntax' }], ['s', { kind: 'syntax' }], ['-5s', { kind: 'syntax' }],
    ['.5s', { kind: 'syntax' }], ['5.s', { kind: 'syntax' }], ['5S', { kind: 'syntax' }], ['5sec', { kind: 'syntax' }], ['1w', { kind: 'syntax' }],
    ['5s ', { kind: 'syntax' }], ['5s\n', { kind: 'syntax' }],
  ];
  for (const [text, problem] of cases) {
    assert.equal(parseDuration(text), undefined, text);
    assert.deepEqual(durationProblem(text), problem, text);
  }
  assert.equal(durationProblem('1m30s'), undefined);
  assert.equal(durationHint({ kind: 'repeated', unit: 's' }), 'with each unit at most once ("s" appears twice), e.g. 1m30s');
  assert.equal(durationHint({ kind: 'order' }), 'with its units largest first (d, h, m, s, ms), e.g. 1m30s');
});

const amount = fc.oneof(fc.nat({ max: 10_000 }).map(String), fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`));
const part = fc.tuple(amount, fc.constantFrom(...UNITS));
const join = (parts: readonly (readonly [string, string])[]) => parts.map(([a, u]) => a + u).join('');

test('property: any sequence of amount+unit parts is a duration exactly when its units are distinct and largest first', () => {
  fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
    const text = join(parts);
    const ranks = parts.map(([, u]) => UNITS.indexOf(u));
    const ordered = ranks.every((r, i) => i === 0 || r > ranks[i - 1]!);
    const sum = Math.round(parts.reduce((total, [a, u]) => total + Number(a) * UNIT_MS[u]!, 0));
    assert.equal(parseDuration(text), ordered ? sum : undefined, text);
    const problem = durationProblem(text);
    if (ordered) assert.equal(problem, undefined, text);
    else if (new Set(ranks).size < ranks.length) assert.equal(problem?.kind, 'repeated', text);
    else assert.deepEqual(problem, { kind: 'order' }, text);
  }), { numRuns: RUNS });
});

test('property: the JSON Schema pattern accepts exactly what parseDuration accepts, on any text', () => {
  const pattern = new RegExp(DURATION_PATTERN);
  const near = fc.stringMatching(/^[0-9.smhdw \-]{0,12}$/);
  fc.assert(fc.property(fc.oneof(near, fc.string(), fc.array(part, { maxLength: 6 }).map(join)), (text) => {
    const ms = parseDuration(text);
    assert.equal(pattern.test(text), ms !== undefined, text);
    assert.equal(durationProblem(text) === undefined, ms !== undefined, text);
    if (ms !== undefined) assert.ok(Number.isInteger(ms) && ms >= 0, text);
  }), { numRuns: RUNS });
});

test('property: what formatDuration prints for whole seconds and more reads back', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 30 * 86_400 }), (seconds) => {
    const text = formatDuration(seconds * 1000);
    const back = parseDuration(text);
    assert.notEqual(back, undefined, text);
    // formatDuration drops the smallest unit past an hour (3h5m, 14d2h), so compare at its precision.
    const precision = seconds >= 86_400 ? 3_600_000 : seconds >= 3600 ? 60_000 : seconds >= 60 ? 1000 : 100;
    assert.ok(Math.abs(back! - seconds * 1000) < precision, `${seconds}s printed as ${text}`);
  }), { numRuns: RUNS });
});
