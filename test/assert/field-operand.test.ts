// A field of the same observation as the operand (`ready == desired`), as the kubernetes probe's defaults need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/assert/parse.ts';
import { describeFailure, evaluate } from '../../src/assert/evaluate.ts';
import type { FieldKinds } from '../../src/probes/types.ts';

const FIELDS: FieldKinds = { ready: 'number', desired: 'number', updated: 'number', name: 'string', owner: 'string', lag: 'duration', window: 'duration', status: 'any' };

function check(text: string, observed: Record<string, unknown>): { passed: boolean; line: string } {
  const parsed = parseAssertion(text, FIELDS);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const result = evaluate(parsed.assertion, observed as never, FIELDS);
  return { passed: result.passed, line: describeFailure(parsed.assertion, result) };
}

test('equality and order between two fields of the observation, the other value shown on failure', () => {
  assert.deepEqual(check('ready == desired', { ready: 3, desired: 3 }), { passed: true, line: 'ready = 3 (expected == desired = 3)' });
  assert.deepEqual(check('ready == desired', { ready: 1, desired: 3 }), { passed: false, line: 'ready = 1 (expected == desired = 3)' });
  assert.equal(check('updated >= ready', { ready: 2, updated: 3 }).passed, true);
  assert.equal(check('updated < ready', { ready: 2, updated: 3 }).passed, false);
  assert.equal(check('name != owner', { name: 'a', owner: 'b' }).passed, true);
  assert.deepEqual(check('lag < window', { lag: 1500, window: 10_000 }), { passed: true, line: 'lag = 1.5s (expected < window = 10s)' });
  assert.equal(check('status.a == status.b', { status: { a: [1], b: [1] } }).passed, true);
});

test('a missing field on either side fails, as a missing path does', () => {
  assert.deepEqual(check('ready == desired', { ready: 3 }), { passed: false, line: 'ready = 3 (expected == desired = <missing>)' });
  assert.equal(check('ready == desired', { desired: 3 }).passed, false);
  assert.equal(check('ready != desired', { ready: 3 }).passed, false);
});

test('kinds are checked at load time; only comparisons take a field', () => {
  const message = (text: string) => {
    const parsed = parseAssertion(text, FIELDS);
    return parsed.ok ? 'parsed' : parsed.message;
  };
  assert.equal(message('ready == name'), '"ready" is a number and "name" is text: they can never be equal');
  assert.equal(message('lag < ready'), '"lag" is a duration and "ready" is a number: < orders two numbers or two durations');
  assert.equal(message('name > owner'), '"name" is text and "owner" is text: > orders two numbers or two durations');
  assert.equal(message('name contains owner'), 'contains needs a value, not the field "owner"; a field compares with ==, !=, <, <=, > or >=');
  // Not a field of this type: still the old hint that text needs quotes.
  assert.match(message('name == orders'), /^unexpected "orders": text needs quotes/);
  assert.equal(message('ready == null'), 'parsed');
});
