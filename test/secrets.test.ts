import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSecrets, redact, redactDeep, registerSecret } from '../src/secrets.ts';

test('registered secrets are masked raw, URL-encoded and JSON-escaped; URL passwords always', (t) => {
  t.after(clearSecrets);
  registerSecret('p@ss/w"rd');
  assert.equal(redact('a p@ss/w"rd b'), 'a *** b');
  assert.equal(redact(`u=${encodeURIComponent('p@ss/w"rd')}`), 'u=***');
  assert.equal(redact(JSON.stringify({ p: 'p@ss/w"rd' })), '{"p":"***"}');
  assert.equal(redact('postgres://app:hunter22@db:5432/x and redis://:tok@r:6379'), 'postgres://app:***@db:5432/x and redis://:***@r:6379');
  assert.equal(redact('http://host:8080/path'), 'http://host:8080/path', 'a port is not a password');
});

test('the longest secret wins when one contains another; short values are not masked', (t) => {
  t.after(clearSecrets);
  registerSecret('abcd');
  registerSecret('abcdefgh');
  registerSecret('on');
  assert.equal(redact('abcdefgh abcd on'), '*** *** on');
});

test('redactDeep masks strings and keys and leaves other values', (t) => {
  t.after(clearSecrets);
  registerSecret('s3cret-value');
  assert.deepEqual(redactDeep({ a: ['x s3cret-value', 1, true, null], 's3cret-value': { n: 2 } }), { a: ['x ***', 1, true, null], '***': { n: 2 } });
});

test('a secret with surrounding whitespace is masked in its trimmed form too (an echoed HTTP header)', (t) => {
  t.after(clearSecrets);
  registerSecret(' tok-3f9a ');
  assert.equal(redact('x-token: tok-3f9a'), 'x-token: ***');
  assert.equal(redact('raw " tok-3f9a " raw'), 'raw "***" raw');
  registerSecret('ab  ');
  assert.equal(redact('ab cd'), 'ab cd', 'a trimmed form below the minimum length is not masked');
});
