// The RESP2 check alone: replies whole and one byte at a time, each limit refused at the header that passes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespScanner } from '../../src/probes/redis/wire.ts';
import { WireRefusal } from '../../src/net/wire-guard.ts';

const replies = Buffer.from('+OK\r\n-ERR no\r\n:42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n$1\r\na\r\n*2\r\n:1\r\n$2\r\n\r\n\r\n*1\r\n+x\r\n');

function bytewise(scanner: RespScanner, data: Buffer): void {
  for (let i = 0; i < data.length; i++) scanner.scan(data.subarray(i, i + 1));
}

test('RESP2 replies pass whole and one byte at a time; a bulk may hold CR LF', () => {
  new RespScanner('cache:6379').scan(replies);
  bytewise(new RespScanner('cache:6379'), Buffer.concat([replies, replies]));
});

test('the limits: bulk size, values per reply (reset at each reply), nesting, reply size, types', () => {
  const refuses = (data: string | Buffer, reason: RegExp) => {
    const refusal = (e: unknown): boolean => e instanceof WireRefusal && reason.test(e.message);
    assert.throws(() => new RespScanner('cache:6379').scan(Buffer.from(data)), refusal);
    assert.throws(() => bytewise(new RespScanner('cache:6379'), Buffer.from(data)), refusal);
  };
  refuses('$999999999999\r\n', /^the server sent a 931\.3 GiB string; syncproof reads at most 8 MiB per reply \(cache:6379\)$/);
  refuses('*3000000\r\n', /^the server sent a reply of over 100000 values \(an array of 3000000\); syncproof reads at most 100000 \(cache:6379\)$/);
  refuses('*1\r\n'.repeat(65), /^the server sent arrays nested deeper than 64 levels \(cache:6379\)$/);
  refuses('%1\r\n', /^the server sent a reply of type "%", which is not RESP2 \(cache:6379\)$/);
  refuses('$12x\r\n', /^the server sent a malformed bulk header \(cache:6379\)$/);
  refuses(`+${'a'.repeat(8 * 1024 * 1024)}`, /^the server sent a reply over 8 MiB, syncproof's limit \(cache:6379\)$/);
  new RespScanner('cache:6379').scan(Buffer.from(`${'*1\r\n'.repeat(64)}:1\r\n`));
  const many = `*60000\r\n${':1\r\n'.repeat(60000)}`;
  new RespScanner('cache:6379').scan(Buffer.from(many + many)); // two replies of 60000 values each: the count is per reply
});
