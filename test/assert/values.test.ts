import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual, displayValue, kindOf } from '../../src/assert/values.ts';
import { resolvePath } from '../../src/assert/resolve.ts';
import type { PathSegment } from '../../src/assert/ast.ts';
import { DNS, HTTP, POSTGRES } from './fields.ts';
import type { JsonValue } from '../../src/probes/types.ts';
import { clearSecrets, registerSecret } from '../../src/secrets.ts';

const keys = (...names: (string | number)[]): PathSegment[] =>
  names.map((name) => (typeof name === 'number' ? { index: name } : { key: name }));

test('displayValue: durations in human units, text quoted, missing marked', () => {
  const cases: [Parameters<typeof displayValue>[0], Parameters<typeof displayValue>[1], string][] = [
    [47_000, 'duration', '47s'],
    [35, 'duration', '35ms'],
    [90_000, 'duration', '1m30s'],
    [1_209_600_000, 'duration', '14d'],
    [null, 'duration', 'null'],
    [47_000, 'number', '47000'],
    [47_000, undefined, '47000'],
    [-1.5, 'any', '-1.5'],
    ['replica', 'string', '"replica"'],
    ['say "hi"\n', undefined, '"say \\"hi\\"\\n"'],
    [true, 'boolean', 'true'],
    [null, undefined, 'null'],
    [undefined, 'number', '<missing>'],
    [undefined, undefined, '<missing>'],
    [['a', 'b'], 'list', '["a", "b"]'],
    [{ id: 7, tags: [] }, 'any', '{"id": 7, "tags": []}'],
    [[], 'list', '[]'],
  ];
  for (const [value, kind, shown] of cases) assert.equal(displayValue(value, kind), shown, `${JSON.stringify(value)} as ${kind}`);
});

test('displayValue cuts long text, lists and objects to about 80 characters', () => {
  const long = 'x'.repeat(1 << 20);
  const text = displayValue(long, 'string');
  assert.ok(text.length <= 80, text);
  assert.match(text, /^"x+…"$/);
  const escaped = displayValue('\n'.repeat(200), 'string');
  assert.ok(escaped.length <= 80, escaped);
  assert.match(escaped, /^"(\\n)+…"$/);
  const list = displayValue(Array.from({ length: 100_000 }, (_, i) => i), 'list');
  assert.ok(list.length <= 80, list);
  assert.match(list, /^\[0, 1, 2, .*…$/);
  const rows = displayValue({ rows: Array.from({ length: 1000 }, (_, id) => ({ id, name: 'n'.repeat(500) })) }, 'any');
  assert.ok(rows.length <= 80, rows);
  assert.ok(rows.startsWith('{"rows": [{"id": 0, "name": "nnn'), rows);
  const exact = `"${'y'.repeat(78)}"`;
  assert.equal(displayValue('y'.repeat(78), 'string'), exact);
});

test('kindOf: by dotted path, indexes ignored, duration everywhere, any below any', () => {
  const cases: [PathSegment[], typeof HTTP, ReturnType<typeof kindOf>][] = [
    [keys('status'), HTTP, 'number'],
    [keys('tls'), HTTP, 'object'],
    [keys('tls', 'expiresIn'), HTTP, 'duration'],
    [keys('duration'), HTTP, 'duration'],
    [keys('duration'), {}, 'duration'],
    [keys('json', 'items', 0, 'id'), HTTP, 'any'],
    [keys('headers', 'content-type'), HTTP, 'any'],
    [keys('records'), DNS, 'list'],
    [keys('records', 'length'), DNS, 'number'],
    [keys('body', 'length'), HTTP, 'number'],
    [keys('replication'), POSTGRES, 'object'],
    [keys('replication', 'lag'), POSTGRES, 'duration'],
    [keys('nope'), HTTP, undefined],
    [keys('tls', 'nope'), HTTP, undefined],
    [keys('status', 'length'), HTTP, undefined],
  ];
  for (const [path, fields, kind] of cases) assert.equal(kindOf(path, fields), kind, JSON.stringify(path));
});

test('resolvePath: keys, indexes, .length, an own length key, missing', () => {
  const observed = { a: { b: [10, { c: 'x' }], length: 9 }, s: 'abc', n: null, list: [1, 2] };
  const cases: [PathSegment[], unknown][] = [
    [keys('a', 'b', 0), 10],
    [keys('a', 'b', 1, 'c'), 'x'],
    [keys('a', 'b', 'length'), 2],
    [keys('a', 'length'), 9],
    [keys('s', 'length'), 3],
    [keys('list', '1'), 2],
    [keys('n'), null],
    [keys('n', 'x'), undefined],
    [keys('a', 'b', 2), undefined],
    [keys('s', 0), undefined],
    [keys('list', 'x'), undefined],
    [keys('a', 'toString'), undefined],
    [keys('zzz', 'y'), undefined],
  ];
  for (const [path, value] of cases) assert.deepEqual(resolvePath(observed, path), value, JSON.stringify(path));
});

test('deepEqual compares lists in order and objects by key', () => {
  assert.equal(deepEqual([1, [2, { a: null }]], [1, [2, { a: null }]]), true);
  assert.equal(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(deepEqual({ a: undefined as unknown as null }, { b: undefined as unknown as null }), false);
  assert.equal(deepEqual([], {}), false);
  assert.equal(deepEqual(null, {}), false);
  assert.equal(deepEqual('1', 1), false);
});

test('displayValue of a value nested 500,000 levels deep or holding 85,000 keys: its start, without walking it all', (t) => {
  t.after(clearSecrets);
  registerSecret('deep-secret-4411');
  const deep = JSON.parse(`${'['.repeat(500_000)}"deep-secret-4411"${']'.repeat(500_000)}`) as JsonValue;
  assert.equal(displayValue(deep, 'any'), `${'['.repeat(79)}…`);
  const wide = JSON.parse(`{"deep-secret-4411": 1, ${Array.from({ length: 85_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`) as JsonValue;
  assert.match(displayValue(wide, 'any'), /^\{"\*\*\*": 1, "k0": 0, "k1": 1, .*…$/);
});
