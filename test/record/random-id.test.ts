// The record's id and the write checks' tokens: version 4 UUIDs from the kernel's random source, or from
// node:crypto where that cannot be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomId } from '../../src/random-id.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are version 4 UUIDs, every one different', () => {
  const ids = Array.from({ length: 2000 }, () => randomId());
  for (const id of ids) assert.match(id, V4);
  assert.equal(new Set(ids).size, ids.length);
});

test('the id is the source\'s 16 bytes with the version and variant bits set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-random-'));
  try {
    const source = join(dir, 'bytes');
    writeFileSync(source, Buffer.alloc(16, 0xff));
    assert.equal(randomId(source), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
    writeFileSync(source, Buffer.alloc(16, 0));
    assert.equal(randomId(source), '00000000-0000-4000-8000-000000000000');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source that cannot be read, or ends early, gives node:crypto\'s UUIDs instead', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-random-'));
  try {
    const short = join(dir, 'short');
    writeFileSync(short, Buffer.alloc(15, 0));
    for (const source of [join(dir, 'missing'), short, dir]) {
      const ids = [randomId(source), randomId(source)];
      for (const id of ids) assert.match(id, V4);
      assert.notEqual(ids[0], ids[1], source);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
