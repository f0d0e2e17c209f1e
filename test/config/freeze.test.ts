import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepFreeze } from '../../src/config/freeze.ts';

test('deepFreeze freezes every level, through shared and cyclic references, and ends', () => {
  const shared = { deep: { list: [{ leaf: 1 }] } };
  const root: { a: typeof shared; b: typeof shared; self?: unknown; items: unknown[] } = { a: shared, b: shared, items: [shared, [{ x: 1 }]] };
  root.self = root;
  deepFreeze(root);
  for (const value of [root, shared, shared.deep, shared.deep.list, shared.deep.list[0], root.items, root.items[1], (root.items[1] as object[])[0]]) {
    assert.ok(Object.isFrozen(value));
  }
  assert.throws(() => { (shared.deep.list[0] as { leaf: number }).leaf = 2; }, TypeError);
});

test('deepFreeze leaves primitives as they are', () => {
  assert.equal(deepFreeze(3), 3);
  assert.equal(deepFreeze(null), null);
  assert.equal(deepFreeze('text'), 'text');
});
