import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compact, RECORD_LIST_LIMIT, RECORD_STRING_LIMIT } from '../src/record/compact.ts';

test('the record cuts long strings and lists and says how long they were', () => {
  const body = 'x'.repeat(RECORD_STRING_LIMIT + 10);
  const out = compact({ body, json: { items: Array.from({ length: RECORD_LIST_LIMIT + 5 }, (_, i) => i) }, status: 200 }) as Record<string, unknown>;
  assert.equal(out.body, `${'x'.repeat(RECORD_STRING_LIMIT)}… [truncated, ${RECORD_STRING_LIMIT + 10} chars]`);
  const items = (out.json as { items: unknown[] }).items;
  assert.equal(items.length, RECORD_LIST_LIMIT + 1);
  assert.equal(items.at(-1), `… [truncated, ${RECORD_LIST_LIMIT + 5} items]`);
  assert.equal(out.status, 200);
  assert.deepEqual(compact({ a: 'short', b: [1, 2], c: null }), { a: 'short', b: [1, 2], c: null });
});
