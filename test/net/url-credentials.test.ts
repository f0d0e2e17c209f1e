import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSecrets, redact } from '../../src/secrets.ts';
import { withoutCredentials, withoutUserinfo } from '../../src/net/url-credentials.ts';

test('user:password@ becomes basic auth; the password and the header value are secrets from then on', (t) => {
  t.after(clearSecrets);
  const basic = Buffer.from('monitor:p@ss-4711').toString('base64');
  const { url, headers } = withoutCredentials('https://monitor:p%40ss-4711@api.example.com/health', { accept: 'json' });
  assert.equal(url, 'https://api.example.com/health');
  assert.deepEqual(headers, { accept: 'json', authorization: `Basic ${basic}` });
  assert.equal(redact(`echo: ${basic} and p@ss-4711 by monitor`), 'echo: *** and *** by monitor');
});

test('a token written as the user name (no password) is the secret', (t) => {
  t.after(clearSecrets);
  const token = 'ghp_0123456789abcdef';
  const { headers } = withoutCredentials(`https://${token}@api.example.com/`, {});
  assert.equal(headers.authorization, `Basic ${Buffer.from(`${token}:`).toString('base64')}`);
  assert.equal(redact(`token ${token}; header ${headers.authorization}`), 'token ***; header Basic ***');
});

test('a short user name without a password stays readable; its Basic header value is still masked', (t) => {
  t.after(clearSecrets);
  const { headers } = withoutCredentials('https://deploy@api.example.com/', {});
  assert.equal(redact(`deployment by deploy; ${headers.authorization}`), 'deployment by deploy; Basic ***');
});

test('an explicit Authorization header wins; a URL without userinfo is left as given', (t) => {
  t.after(clearSecrets);
  assert.deepEqual(withoutCredentials('http://u:pw-secret@h/', { Authorization: 'Bearer x' }).headers, { Authorization: 'Bearer x' });
  assert.deepEqual(withoutCredentials('http://h:8080/x', {}), { url: 'http://h:8080/x', headers: {} });
  assert.equal(withoutUserinfo('https://TOKEN@github.com/acme/orders.git'), 'https://github.com/acme/orders.git');
  assert.equal(withoutUserinfo('git@github.com:acme/orders.git'), 'git@github.com:acme/orders.git');
});
