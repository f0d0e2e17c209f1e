// The record's id and the write checks' tokens: version 4 UUIDs from the kernel's urandom device, or from
// node:crypto where that is not what the path holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelRandomBytes, randomId, uuidFromBytes } from '../../src/random-id.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are version 4 UUIDs, every one different', () => {
  const ids = Array.from({ length: 2000 }, () => randomId());
  for (const id of ids) assert.match(id, V4);
  assert.equal(new Set(ids).size, ids.length);
});

test('the UUID is the 16 bytes with the version and variant bits set', () => {
  assert.equal(uuidFromBytes(Buffer.alloc(16, 0xff)), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  assert.equal(uuidFromBytes(Buffer.alloc(16, 0)), '00000000-0000-4000-8000-000000000000');
  assert.equal(uuidFromBytes(Buffer.from('00112233445566778899aabbccddeeff', 'hex')), '00112233-4455-4677-8899-aabbccddeeff');
});

test('bytes come from /dev/urandom, and from nothing else at a path: not /dev/zero, a file, a FIFO (without blocking) or nothing', () => {
  const bytes = kernelRandomBytes('/dev/urandom');
  assert.equal(bytes?.length, 16);
  assert.notDeepEqual(bytes, kernelRandomBytes('/dev/urandom'));
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-random-'));
  try {
    writeFileSync(join(dir, 'file'), Buffer.alloc(64, 0x41));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const path of ['/dev/zero', '/dev/null', join(dir, 'file'), join(dir, 'fifo'), join(dir, 'missing'), dir]) {
      assert.equal(kernelRandomBytes(path), undefined, path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
