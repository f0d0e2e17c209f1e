// The PostgreSQL framing check alone, fed by hand-made messages: whole, and one byte at a time (a
// header split across socket reads must be read as one), refusing before any body byte is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgFrameScanner } from '../../src/net/postgres/wire.ts';
import { WireRefusal } from '../../src/net/wire-guard.ts';

function message(type: string, body: Buffer = Buffer.alloc(0), length = body.length + 4): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(length, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const int16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const field = Buffer.concat([Buffer.from('n\0'), Buffer.alloc(18)]);

/** A startup and one query's answer as a server sends them. */
const conversation = Buffer.concat([
  message('R', int32(10)), message('R', int32(0)), message('S', Buffer.from('server_version\u000015\u0000')), message('K', Buffer.alloc(8)),
  message('Z', Buffer.from('I')), message('T', Buffer.concat([int16(2), field, field])),
  message('D', Buffer.concat([int16(1), int32(1), Buffer.from('7')])), message('C', Buffer.from('SELECT 1\0')), message('Z', Buffer.from('I')),
]);

function bytewise(scanner: PgFrameScanner, data: Buffer): void {
  for (let i = 0; i < data.length; i++) scanner.scan(data.subarray(i, i + 1));
}

test('a normal conversation passes whole and one byte at a time', () => {
  new PgFrameScanner('db:5432').scan(conversation);
  bytewise(new PgFrameScanner('db:5432'), conversation);
  bytewise(new PgFrameScanner('db:5432'), Buffer.concat([conversation, conversation]));
});

test('an over-cap message, GSSAPI or too many columns is refused at its header, however it is split', () => {
  const cases: [Buffer, RegExp][] = [
    [message('D', Buffer.alloc(0), 0x7ffffff0), /^the server sent a 2\.0 GiB message; syncproof reads at most 8 MiB per message \(db:5432\)$/],
    [message('R', int32(7)), /^server asks for GSSAPI authentication, which syncproof does not support \(db:5432\)$/],
    [message('R', int32(99)), /^server asks for an unknown authentication method \(code 99\) \(db:5432\)$/],
    [message('T', Buffer.concat([int16(65535), field])), /^the server sent a result of 65535 columns; PostgreSQL has at most 1664 \(db:5432\)$/],
    [message('Z', Buffer.alloc(0), 2), /^the server sent a message of length 2, which the protocol does not allow \(db:5432\)$/],
  ];
  for (const [hostile, reason] of cases) {
    const head = Buffer.concat([conversation, hostile.subarray(0, 9)]);
    assert.throws(() => new PgFrameScanner('db:5432').scan(head), (e: unknown) => e instanceof WireRefusal && reason.test(e.message));
    assert.throws(() => bytewise(new PgFrameScanner('db:5432'), head), (e: unknown) => e instanceof WireRefusal && reason.test(e.message));
  }
  // 8 MiB exactly is allowed: the cap is on the body.
  new PgFrameScanner('db:5432').scan(message('D', Buffer.alloc(0), 8 * 1024 * 1024 + 4));
});
