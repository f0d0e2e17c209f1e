import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSecrets, redact, redactDeep, registerSecret } from '../../src/secrets.ts';

test('registered secrets are masked raw, URL-encoded and JSON-escaped; URL passwords always', (t) => {
  t.after(clearSecrets);
  registerSecret('p@ss/w"rd');
  assert.equal(redact('a p@ss/w"rd b'), 'a *** b');
  assert.equal(redact(`u=${encodeURIComponent('p@ss/w"rd')}`), 'u=***');
  assert.equal(redact(JSON.stringify({ p: 'p@ss/w"rd' })), '{"p":"***"}');
  assert.equal(redact('postgres://app:hunter22@db:5432/x and redis://:tok@r:6379'), 'postgres://app:***@db:5432/x and redis://:***@r:6379');
  assert.equal(redact('http://host:8080/path'), 'http://host:8080/path', 'a port is not a password');
});

test('a value registered twice is masked once; after clearSecrets, registered again, it is masked again', (t) => {
  t.after(clearSecrets);
  registerSecret('repeated-secret');
  registerSecret('repeated-secret');
  assert.equal(redact('x repeated-secret y'), 'x *** y');
  clearSecrets();
  assert.equal(redact('x repeated-secret y'), 'x repeated-secret y');
  registerSecret('repeated-secret');
  assert.equal(redact('x repeated-secret y'), 'x *** y');
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

test('a lone surrogate in a secret is registered, not thrown on (encodeURIComponent refuses it)', (t) => {
  t.after(clearSecrets);
  registerSecret('tok\ud800en-9f3a');
  assert.equal(redact('x tok\ud800en-9f3a y'), 'x *** y');
  assert.equal(redact(`x ${encodeURIComponent('tok\ufffden-9f3a')} y`), 'x *** y', 'the well-formed form a URL carries');
});

test('a secret echoed HTML-escaped, URL-normalised or lower-cased in a host name is masked', (t) => {
  t.after(clearSecrets);
  registerSecret(`a&b<c>"d'e`);
  for (const echoed of ['a&amp;b&lt;c&gt;&quot;d&#39;e', 'a&amp;b&lt;c&gt;&#34;d&#39;e', 'a&amp;b&lt;c&gt;&quot;d&#x27;e']) {
    assert.equal(redact(`<p>${echoed}</p>`), '<p>***</p>', echoed);
  }
  registerSecret('p$ss&w+rd,x y!');
  const url = new URL('http://h/');
  url.password = 'p$ss&w+rd,x y!';
  assert.equal(redact(url.href), 'http://:***@h/', 'the userinfo form the URL parser writes');
  url.pathname = '/p$ss&w+rd,x y!';
  assert.equal(redact(url.pathname), '/***');
  assert.equal(redact(new URLSearchParams({ q: 'p$ss&w+rd,x y!' }).toString()), 'q=***');
  registerSecret('Tenant-7F3A9C');
  assert.equal(redact(new URL('https://Tenant-7F3A9C.example.com/').href), 'https://***.example.com/');
});

test('the start of a long secret cut by a server is masked, from 16 characters on', (t) => {
  t.after(clearSecrets);
  const jwt = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIn0'.repeat(12)}.sig`;
  registerSecret(jwt);
  // Redis: "ERR unknown command '…', with args beginning with: '<the first 128 characters>'"
  assert.equal(redact(`with args beginning with: '${jwt.slice(0, 128)}' `), "with args beginning with: '***' ");
  assert.equal(redact(`cut ${jwt.slice(0, 16)}!`), 'cut ***!');
  assert.equal(redact(`cut ${jwt.slice(0, 15)}!`), `cut ${jwt.slice(0, 15)}!`, 'fewer than 16 characters are not taken for the secret');
});

test('URL passwords are found as the obvious regex finds them, in one pass over long dotted text', () => {
  const regex = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
  const cases = [
    'postgres://app:pw@db/x', 'x_http://u:p@h', 'a.b+c-d://u:p@h', '9http://u:p@h', 'HTTP://U:P@H', '://u:p@h', 'http://u:@h',
    'http://u:p', 'http://u:p/q@h', 'http://u:p:q@h', 'a http://u:p@h b https://:t@r c', '-x://u:p@h', 'http://a:b@c://d:e@f',
    'http://u p:q@h', 'redis://:tok@r:6379', 'é-http://u:p@h',
  ];
  for (const text of cases) assert.equal(redact(text), text.replace(regex, '$1***@'), text);
  const dotted = `${'a.'.repeat(500_000)}://`;
  assert.equal(redact(dotted), dotted);
});

test('a JWT-length secret that the real Redis echoes cut to 128 characters is masked in its reply', async (t) => {
  t.after(clearSecrets);
  const { startRedis } = await import('../support/redis.ts');
  const redis = await startRedis();
  t.after(() => redis.stop());
  const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0'.repeat(5)}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
  registerSecret(jwt);
  for (const args of [['OBJECT', jwt], [jwt, 'x']]) {
    const reply = await redis.admin(...args).then(() => '', (error: Error) => error.message);
    assert.ok(reply.includes(jwt.slice(0, 128)) && !reply.includes(jwt), `the server cut it: ${reply}`);
    assert.match(redact(reply), /^ERR unknown (subcommand|command) '\*\*\*'/);
    assert.ok(!redact(reply).includes(jwt.slice(0, 16)));
  }
});

test('a secret that is a host name beyond ASCII is masked in punycode too (a URL parser writes it so)', (t) => {
  t.after(clearSecrets);
  registerSecret('Tënant-7f3a9c');
  assert.equal(redact(`host not found (${new URL('https://Tënant-7f3a9c.example.com/').hostname}:443)`), 'host not found (***.example.com:443)');
  registerSecret('p@ss-ünïcode');
  assert.equal(redact('ss-xn--ncode'), 'ss-xn--ncode', 'not a host name: no form of its tail');
});
