import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { clearSecrets, registerSecret } from '../../src/secrets.ts';
import { deliverAll } from '../../src/sinks/deliver.ts';
import { deliveryLine } from '../../src/report/delivery-line.ts';
import { parseRetryAfter } from '../../src/sinks/http-post.ts';
import { startReceiver, eventually, type Reply } from '../support/receiver.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

async function receiver(t: { after: (fn: () => Promise<void>) => void }, script: readonly Reply[]) {
  const r = await startReceiver(script);
  t.after(() => r.close());
  return r;
}

test('POSTs the record as JSON, signed with HMAC-SHA256 over the exact body bytes', async (t) => {
  const r = await receiver(t, [{ status: 204 }]);
  const record = sampleRecord('failed');
  const sink = sinkConfig('webhook', { url: `${r.origin}/hooks/verify`, secret: 'shared-key', headers: { 'X-Team': 'orders' } });
  const [delivery] = await deliverAll(record, [sink], { windowMs: 10_000, log: memoryLog().log });

  assert.deepEqual(delivery, { type: 'webhook', target: `POST ${r.origin}/hooks/verify`, required: false, outcome: 'delivered', attempts: 1, error: null });
  assert.equal(r.requests.length, 1);
  const [req] = r.requests;
  assert.ok(req);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/hooks/verify');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['x-team'], 'orders');
  assert.equal(req.headers['x-syncproof-id'], record.id);
  // What a receiver does: recompute over the raw bytes it got and compare in constant time.
  const expected = Buffer.from(`sha256=${createHmac('sha256', 'shared-key').update(req.body).digest('hex')}`);
  const got = Buffer.from(String(req.headers['x-syncproof-signature']));
  assert.ok(got.length === expected.length && timingSafeEqual(got, expected), `signature ${got} over the received bytes`);
  assert.deepEqual(JSON.parse(req.body.toString('utf8')), record);
  assert.equal(deliveryLine(delivery!), 'sink webhook: delivered');
});

test('without a secret there is no signature header', async (t) => {
  const r = await receiver(t, [{ status: 200 }]);
  await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 5000, log: memoryLog().log });
  assert.equal(r.requests[0]?.headers['x-syncproof-signature'], undefined);
});

test('retries a 503 and delivers on the second attempt', async (t) => {
  const r = await receiver(t, [{ status: 503 }, { status: 200 }]);
  const { log, lines } = memoryLog();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 10_000, log });
  assert.equal(d?.outcome, 'delivered');
  assert.equal(d?.attempts, 2);
  assert.equal(r.requests.length, 2);
  assert.ok(lines.some((l) => l.includes('retrying') && l.includes('"error":"503"')), lines.join('\n'));
});

test('gives up after 3 attempts of 5xx and says so', async (t) => {
  const r = await receiver(t, [{ status: 503 }]);
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin }, { required: true })], { windowMs: 10_000, log: memoryLog().log });
  assert.equal(r.requests.length, 3);
  assert.equal(d?.outcome, 'failed');
  assert.equal(d?.required, true);
  assert.equal(deliveryLine(d!), 'sink webhook: FAILED (503 after 3 attempts)');
});

test('never retries a 4xx', async (t) => {
  const r = await receiver(t, [{ status: 400, body: 'invalid_payload' }, { status: 200 }]);
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 10_000, log: memoryLog().log });
  assert.equal(r.requests.length, 1);
  assert.equal(d?.attempts, 1);
  assert.equal(deliveryLine(d!), 'sink webhook: FAILED (400 invalid_payload after 1 attempt)');
});

test('waits as long as Retry-After asks before the next attempt', async (t) => {
  const r = await receiver(t, [{ status: 503, headers: { 'retry-after': '1' } }, { status: 200 }]);
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 10_000, log: memoryLog().log });
  assert.equal(d?.outcome, 'delivered');
  const [first, second] = r.requests;
  assert.ok(first && second);
  assert.ok(second.at - first.at >= 950, `second attempt ${Math.round(second.at - first.at)}ms after the first`);
});

test('a Retry-After past the window ends the delivery at once instead of waiting', async (t) => {
  const r = await receiver(t, [{ status: 503, headers: { 'retry-after': '120' } }, { status: 200 }]);
  const started = performance.now();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin })], { windowMs: 3000, log: memoryLog().log });
  assert.ok(performance.now() - started < 3000);
  assert.equal(r.requests.length, 1);
  assert.equal(d?.outcome, 'failed');
  assert.match(d?.error ?? '', /^503; Retry-After 2m is past the delivery window$/);
});

test('Retry-After as seconds or an HTTP date', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('a receiver that never answers is bounded by the attempt timeout, and its sockets are closed', async (t) => {
  const r = await receiver(t, ['hang']);
  const started = performance.now();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin, timeout: '500ms' })], { windowMs: 20_000, log: memoryLog().log, attempts: 2 });
  const elapsed = performance.now() - started;
  // Two 500 ms attempts and at most 500 ms of backoff, plus margin.
  assert.ok(elapsed < 1500 + 1500, `took ${Math.round(elapsed)}ms`);
  assert.equal(r.requests.length, 2);
  assert.equal(deliveryLine(d!), 'sink webhook: FAILED (timeout after 500ms after 2 attempts)');
  await eventually(() => r.open() === 0, 'the client to close its sockets');
});

test('a receiver that never answers is bounded by the delivery window', async (t) => {
  const r = await receiver(t, ['hang']);
  const started = performance.now();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: r.origin, timeout: '30s' })], { windowMs: 1000, log: memoryLog().log });
  assert.ok(performance.now() - started < 1000 + 1000);
  assert.equal(d?.outcome, 'failed');
  assert.equal(d?.error, 'delivery window of 1s closed');
  await eventually(() => r.open() === 0, 'the client to close its sockets');
});

test('an answer whose body never ends is judged by its status at once, not waited out', async (t) => {
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(req.url === '/ok' ? 200 : 400, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('x'.repeat(4096)), 5);
      res.on('close', () => clearInterval(drip));
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => sockets.add(socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [path, outcome, error] of [['/ok', 'delivered', null], ['/bad', 'failed', '400']] as const) {
    const started = performance.now();
    const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: `${origin}${path}`, timeout: '3s' })], { windowMs: 10_000, log: memoryLog().log });
    const elapsed = performance.now() - started;
    assert.deepEqual([d?.outcome, d?.error, d?.attempts], [outcome, error, 1], path);
    assert.ok(elapsed < 1500, `${path} took ${Math.round(elapsed)}ms`);
  }
  await eventually(() => sockets.size === 0, 'the client to close its sockets');
});

test('a refused connection is retried, then reported plainly', async () => {
  const { freePort } = await import('../support/net.ts');
  const port = await freePort();
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('webhook', { url: `http://127.0.0.1:${port}/x` })], { windowMs: 10_000, log: memoryLog().log });
  assert.equal(d?.attempts, 3);
  assert.equal(d?.error, `connection refused (127.0.0.1:${port})`);
});

test('a secret in a header or the URL never appears in a payload, a log line or the delivery', async (t) => {
  t.after(clearSecrets);
  const secret = 'tok-9f8e7d6c5b4a';
  registerSecret(secret); // as interpolation does for `${env:…}` values
  const r = await receiver(t, [{ status: 500, body: `bad token ${secret}` }, { status: 200 }]);
  const { log, lines } = memoryLog();
  const sink = sinkConfig('webhook', {
    url: `http://robot:${secret}@127.0.0.1:${new URL(r.origin).port}/hook?token=${secret}`,
    headers: { Authorization: `Bearer ${secret}` },
    secret,
  });
  const [d] = await deliverAll(sampleRecord(), [sink], { windowMs: 10_000, log });
  assert.equal(d?.outcome, 'delivered');
  // The receiver did get the credentials where they belong.
  assert.equal(r.requests[1]?.headers.authorization, `Bearer ${secret}`);
  assert.equal(r.requests[1]?.url, `/hook?token=${secret}`);
  for (const req of r.requests) assert.ok(!req.body.includes(secret), 'payload');
  assert.ok(lines.length >= 2);
  for (const line of lines) assert.ok(!line.includes(secret), `log line: ${line}`);
  assert.ok(lines.some((l) => l.includes('500 bad token ***')), lines.join('\n'));
  assert.ok(!JSON.stringify(d).includes(secret));
});

test('schema: bad URLs, header names and durations are configuration errors', async () => {
  const { webhook } = await import('../../src/sinks/webhook.ts');
  assert.equal(webhook.spec.safeParse({ url: 'ftp://x' }).success, false);
  assert.equal(webhook.spec.safeParse({ url: 'http://x', headers: { 'bad name': 'v' } }).error?.issues[0]?.message, 'is not a valid header name');
  assert.equal(webhook.spec.safeParse({ url: 'http://x', headers: { a: 'line\nbreak' } }).success, false);
  // Headers syncproof sets (a suite's value would be silently replaced) or the HTTP client refuses (every attempt would fail).
  for (const name of ['Content-Type', 'X-Syncproof-Signature', 'x-syncproof-id', 'Content-Length', 'Transfer-Encoding', 'Expect', 'Upgrade', 'Keep-Alive']) {
    const parsed = webhook.spec.safeParse({ url: 'http://x', headers: { [name]: 'v' } });
    assert.equal(parsed.error?.issues[0]?.message, 'is set by syncproof or its HTTP client, not by the suite', name);
  }
  assert.equal(webhook.spec.safeParse({ url: 'http://x', headers: { Authorization: 'Bearer t', 'X-Team': 'orders' } }).success, true);
  assert.equal(webhook.spec.safeParse({ url: 'http://x', timeout: '10' }).success, false);
  assert.equal(webhook.spec.safeParse({ url: 'http://x', timeout: '0s' }).success, false);
  assert.equal(webhook.spec.safeParse({ url: 'http://x', extra: 1 }).success, false);
  assert.deepEqual(webhook.spec.parse({ url: 'http://x', timeout: '1m30s' }), { url: 'http://x', headers: {}, timeout: 90_000 });
});

test('timeout: the suite-wide duration rules hold, the 24d timer cap and the hints included', async () => {
  const { webhook } = await import('../../src/sinks/webhook.ts');
  const message = (timeout: unknown) => webhook.spec.safeParse({ url: 'http://x', timeout }).error?.issues.map((i) => i.message);
  // A Node timer longer than 2^31-1 ms fires after 1 ms: every delivery attempt would time out at once.
  assert.deepEqual(message('25d'), ['must be at most 24d']);
  assert.deepEqual(message('5 s'), ['must be a duration (250ms, 5s, 2m, 1h, 14d or compounds like 1m30s), got "5 s"']);
  assert.deepEqual(message('30s1m'), ['must be a duration with its units largest first (d, h, m, s, ms), e.g. 1m30s, got "30s1m"']);
  assert.deepEqual(message('0s'), ['must be longer than 0s']);
  assert.equal(webhook.spec.parse({ url: 'http://x', timeout: '24d' }).timeout, 24 * 86_400_000);
  assert.equal(webhook.spec.parse({ url: 'http://x' }).timeout, 10_000);
});
