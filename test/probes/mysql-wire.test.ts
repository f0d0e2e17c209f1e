// The MySQL framing check alone: packets whole and one byte at a time, a multi-packet message counted whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MysqlFrameScanner } from '../../src/probes/mysql/wire.ts';
import { WireRefusal } from '../../src/net/wire-guard.ts';

const refusal = (reason: RegExp) => (e: unknown): boolean => e instanceof WireRefusal && reason.test(e.message);

function packet(length: number, sequence: number, body = Buffer.alloc(length)): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(length, 0, 3);
  head[3] = sequence;
  return Buffer.concat([head, body]);
}

test('small packets pass whole and one byte at a time', () => {
  const data = Buffer.concat([packet(74, 0), packet(7, 2), packet(1, 1), packet(30, 2), packet(5, 3)]);
  new MysqlFrameScanner('db:3306').scan(data);
  const scanner = new MysqlFrameScanner('db:3306');
  for (let i = 0; i < data.length; i++) scanner.scan(data.subarray(i, i + 1));
});

test('a packet over 8 MiB, or a multi-packet message over it, is refused at the header that passes the cap', () => {
  assert.throws(() => new MysqlFrameScanner('db:3306').scan(packet(9 * 1024 * 1024, 1, Buffer.alloc(0))),
    refusal(/^the server sent a 9 MiB packet; syncproof reads at most 8 MiB per packet \(db:3306\)$/));
  assert.throws(() => new MysqlFrameScanner('db:3306').scan(packet(0xffffff, 1, Buffer.alloc(0))),
    refusal(/^the server sent a packet of over 16\.0 MiB; syncproof reads at most 8 MiB per packet \(db:3306\)$/));
  // Two packets of 8 MiB, each a message of its own (not 0xffffff long), are each within the cap.
  const scanner = new MysqlFrameScanner('db:3306');
  scanner.scan(packet(8 * 1024 * 1024, 1));
  scanner.scan(packet(8 * 1024 * 1024, 2));
});
