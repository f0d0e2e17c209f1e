// `matches` under a bound: linear where V8's linear engine runs the pattern, else a worker stopped at the bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tuneV8ForShortRun } from '../../src/process/v8-tuning.ts';
import { evaluateAll } from '../../src/assert/evaluate-all.ts';
import { linearRegex } from '../../src/assert/regex.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import type { Assertion } from '../../src/assert/ast.ts';
import { HTTP } from './fields.ts';

function parse(text: string, fields: typeof HTTP): Assertion {
  const result = parseAssertion(text, fields);
  assert.ok(result.ok, text);
  return result.assertion;
}

tuneV8ForShortRun('run'); // as `syncproof run` does before any suite is read
const EVIL = `${'a'.repeat(48)}!`;

test('a backtracking pattern the linear engine can run answers at once', async () => {
  assert.ok(linearRegex('^(a+)+$', ''), 'compiled for the linear engine');
  const [result] = await evaluateAll([parse('body matches /^(a+)+$/', HTTP)], { body: EVIL }, HTTP, { boundMs: 60_000, signal: new AbortController().signal });
  assert.equal(result!.passed, false);
  assert.equal(result!.actual, JSON.stringify(EVIL));
});

test('one it cannot run (the i flag, lookahead) is stopped at the bound, and the others still answer', async () => {
  assert.equal(linearRegex('^(a+)+$', 'i'), null);
  const assertions = ['body matches /^(a+)+$/i', 'body matches /^(?=a)(a+)+$/', 'body matches /^A/i', 'body !matches /(?=b)/'].map((a) => parse(a, HTTP));
  const started = performance.now();
  const results = await evaluateAll(assertions, { body: EVIL }, HTTP, { boundMs: 1000, signal: new AbortController().signal });
  assert.deepEqual(results.map((r) => r.passed), [false, false, true, true]);
  assert.match(results[0]!.actual, /\(the pattern ran past 1s without an answer\)$/);
  assert.ok(performance.now() - started < 30_000, 'not the hours the pattern would take');
});

test('an abort stops a pattern in its worker', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const [result] = await evaluateAll([parse('body matches /^(a+)+$/i', HTTP)], { body: EVIL }, HTTP, { boundMs: 600_000, signal: controller.signal });
  assert.equal(result!.passed, false);
});
