import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from '../../src/probes/http/index.ts';
import type { AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { clearSecrets, registerSecret } from '../../src/secrets.ts';

const observeHttp = await http.load();

function context(timeoutMs = 3000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

function observe(spec: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeHttp(http.spec.parse(spec), ctx);
}

async function observed(spec: Record<string, unknown>): Promise<Observed> {
  const result = await observe(spec);
  assert.ok(result.ok, `expected an observation, got ${JSON.stringify(result)}`);
  return result.observed;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

let certs: TestCerts;
let plain: TestServer;
before(async () => {
  certs = await makeCerts();
  plain = await startHttpServer();
});
after(async () => {
  await plain?.close();
  await certs?.remove();
});

describe('plain http', () => {
  test('status, lower-case headers, body and json', async () => {
    const result = await observe({ url: `${plain.url}/json` });
    assert.equal(result.ok && result.summary, '200');
    const seen = await observed({ url: `${plain.url}/json` });
    assert.equal(seen.status, 200);
    assert.equal((seen.headers as Record<string, string>)['content-type'], 'application/json');
    assert.deepEqual(seen.json, { ok: true, items: [{ id: 7, name: 'seven' }] });
    assert.equal(seen.body, JSON.stringify(seen.json));
    assert.equal(seen.tls, undefined, 'no tls fields for http');
  });

  test('a non-JSON body has json null', async () => {
    const seen = await observed({ url: `${plain.url}/text` });
    assert.equal(seen.body, 'hello, world');
    assert.equal(seen.json, null);
  });

  test('error statuses are observations, not attempt errors', async () => {
    for (const code of [404, 500, 503]) {
      const result = await observe({ url: `${plain.url}/status/${code}` });
      assert.deepEqual(result.ok && [result.observed.status, result.summary], [code, String(code)]);
    }
  });

  test('request headers are sent; repeated response headers are joined', async () => {
    const seen = await observed({ url: `${plain.url}/headers`, headers: { 'X-Request-Id': 'abc', Authorization: 'Bearer t' } });
    const echoed = seen.json as Record<string, string>;
    assert.equal(echoed['x-request-id'], 'abc');
    assert.equal(echoed.authorization, 'Bearer t');
    assert.match(echoed['user-agent'] ?? '', /^syncproof\//);
    const headers = seen.headers as Record<string, string>;
    assert.equal(headers['set-cookie'], 'a=1, b=2');
    assert.equal(headers['x-custom-header'], 'Mixed Case');
    assert.ok(Object.keys(headers).every((name) => name === name.toLowerCase()));
  });

  test('an object body is sent as JSON, a string body as given', async () => {
    const json = await observed({ url: `${plain.url}/echo`, method: 'post', body: { order: 7, items: ['a'] } });
    assert.deepEqual(json.json, { method: 'POST', contentType: 'application/json', body: '{"order":7,"items":["a"]}' });
    const text = await observed({ url: `${plain.url}/echo`, method: 'PUT', body: 'a=1', headers: { 'content-type': 'text/plain' } });
    assert.deepEqual(text.json, { method: 'PUT', contentType: 'text/plain', body: 'a=1' });
  });

  test('the body is cut at 1 MiB of a 5 MiB response, and the rest is not downloaded', async () => {
    const result = await observe({ url: `${plain.url}/big` });
    assert.ok(result.ok);
    assert.equal((result.observed.body as string).length, 1024 * 1024);
    assert.equal(result.observed.json, null);
    assert.deepEqual(result.notes, ['body cut off after the first 1 MiB']);
    await eventually(() => plain.big().cutOff, 'the server saw its response cut off');
    assert.ok(plain.big().written < 5 * 1024 * 1024, `server wrote ${plain.big().written} bytes`);
  });

  test('redirects are followed by default', async () => {
    const seen = await observed({ url: `${plain.url}/redirect?to=/json` });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.json, { ok: true, items: [{ id: 7, name: 'seven' }] });
    assert.equal((await observed({ url: `${plain.url}/redirect-chain/3` })).body, '0');
  });

  test('followRedirects: false observes the redirect itself', async () => {
    const seen = await observed({ url: `${plain.url}/redirect?to=/json&code=301`, followRedirects: false });
    assert.equal(seen.status, 301);
    assert.equal((seen.headers as Record<string, string>).location, '/json');
  });

  test('too many redirects: the last redirect is observed with a note; a loop is an error', async () => {
    const result = await observe({ url: `${plain.url}/redirect-chain/15` });
    assert.ok(result.ok);
    assert.equal(result.observed.status, 302);
    assert.deepEqual(result.notes, ['stopped after 10 redirects']);
    assert.deepEqual(await observe({ url: `${plain.url}/redirect-loop` }), { ok: false, error: `redirect loop (127.0.0.1:${plain.port})` });
  });

  test('a redirect to another origin does not carry secret headers on; the same origin does', async (t) => {
    t.after(clearSecrets);
    registerSecret('tok-51d0c2e9');
    const other = await startHttpServer();
    t.after(() => other.close());
    const headers = { 'X-Api-Key': 'k-77ab', 'PRIVATE-TOKEN': 'glpat-0000', 'X-Tenant': 'tok-51d0c2e9', 'X-Trace': 'abc', authorization: 'Bearer zz' };
    const across = await observe({ url: `${plain.url}/redirect?to=${encodeURIComponent(`${other.url}/headers`)}`, headers });
    assert.ok(across.ok);
    const seen = across.observed.json as Record<string, string>;
    for (const name of ['x-api-key', 'private-token', 'x-tenant', 'authorization']) assert.equal(seen[name], undefined, `${name} not sent to the other origin`);
    assert.equal(seen['x-trace'], 'abc');
    assert.deepEqual(across.notes, ['not sent after the redirect to another origin: x-api-key, private-token, x-tenant, authorization']);
    const same = await observe({ url: `${plain.url}/redirect?to=/headers`, headers });
    assert.ok(same.ok);
    assert.equal((same.observed.json as Record<string, string>)['x-api-key'], 'k-77ab', 'the same origin gets them');
    assert.equal(same.notes, undefined);
  });

  test('a body delimited by the connection\'s close (HTTP/1.0), still open at the timeout: a timeout, not an uncaught assertion', async (t) => {
    const server = createServer((req, res) => {
      res.useChunkedEncodingByDefault = false;
      res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      const timer = setInterval(() => res.write('tick\n'), 50);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const { port } = server.address() as AddressInfo;
    assert.deepEqual(await observe({ url: `http://127.0.0.1:${port}/` }, context(500)), { ok: false, error: 'timeout after 500ms' });
    // undici's assertion, when it comes, is thrown from the socket's close event: give it its turn.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  test('a refused port names the address', async () => {
    const port = await refusedPort();
    assert.deepEqual(await observe({ url: `http://127.0.0.1:${port}/` }), { ok: false, error: `connection refused (127.0.0.1:${port})` });
  });

  test('a trickling response is cut at the timeout and its socket closed', async () => {
    const result = await observe({ url: `${plain.url}/slow` }, context(500));
    assert.deepEqual(result, { ok: false, error: 'timeout after 500ms' });
    await eventually(() => plain.open() === 0, 'the probe closed its socket');
  });

  test('TLS spoken to a plaintext port is a handshake error', async () => {
    const result = await observe({ url: `https://127.0.0.1:${plain.port}/json` });
    assert.deepEqual(result, { ok: false, error: `TLS handshake failed (is the port speaking TLS?) (127.0.0.1:${plain.port})` });
  });

  test('the target and the spec', () => {
    assert.equal(http.target(http.spec.parse({ url: 'https://shop.example.com/health' })), 'GET https://shop.example.com/health');
    assert.equal(http.spec.parse({ url: 'http://x/', method: 'post' }).method, 'POST');
    assert.equal(http.spec.safeParse({ url: 'ftp://x/' }).success, false);
    assert.equal(http.spec.safeParse({ url: 'http://x/', tls: { verify: false } }).success, false);
  });
});

describe('https', () => {
  const servers: Record<'valid' | 'expired' | 'wrongHost' | 'selfSigned', TestServer> = {} as never;
  before(async () => {
    for (const kind of ['valid', 'expired', 'wrongHost', 'selfSigned'] as const) {
      servers[kind] = await startHttpServer({ tls: certs[kind] });
    }
  });
  after(async () => {
    for (const server of Object.values(servers)) await server.close();
  });

  test('a valid certificate with ca (as a path or as PEM): tls fields from the leaf', async () => {
    for (const ca of [certs.caPath, certs.ca]) {
      const seen = await observed({ url: `${servers.valid.url}/json`, tls: { ca } });
      assert.equal(seen.status, 200);
      const tls = seen.tls as Record<string, unknown>;
      assert.equal(tls.authorized, true);
      assert.equal(tls.issuer, 'O=syncproof tests, CN=syncproof test CA');
      assert.equal(tls.subject, 'CN=localhost');
      const days = (tls.expiresIn as number) / 86_400_000;
      assert.ok(days > 89 && days <= 90, `expires in ${days} days`);
    }
  });

  test('serverName sets the name the certificate must match, for an IP URL', async () => {
    const url = `https://127.0.0.1:${servers.wrongHost.port}/json`;
    assert.equal((await observed({ url, tls: { ca: certs.ca, serverName: 'wrong.example' } })).status, 200);
    assert.deepEqual(await observe({ url, tls: { ca: certs.ca } }), { ok: false, error: `certificate does not match host name (127.0.0.1:${servers.wrongHost.port})` });
  });

  test('without the CA the certificate is not trusted', async () => {
    const result = await observe({ url: `${servers.valid.url}/json` });
    assert.deepEqual(result, { ok: false, error: `certificate not trusted (unable to verify the first certificate) (localhost:${servers.valid.port})` });
  });

  test('bad certificates are attempt errors without insecure', async () => {
    const cases = [
      ['expired', 'certificate has expired'],
      ['wrongHost', 'certificate does not match host name'],
      ['selfSigned', 'self-signed certificate'],
    ] as const;
    for (const [kind, reason] of cases) {
      const result = await observe({ url: `${servers[kind].url}/json`, tls: { ca: certs.ca } });
      assert.deepEqual(result, { ok: false, error: `${reason} (localhost:${servers[kind].port})` }, kind);
    }
  });

  test('with insecure the request proceeds and tls.authorized is false', async () => {
    for (const kind of ['expired', 'wrongHost', 'selfSigned'] as const) {
      const result = await observe({ url: `${servers[kind].url}/json`, tls: { ca: certs.ca, insecure: true } });
      assert.ok(result.ok, `${kind}: ${JSON.stringify(result)}`);
      assert.equal(result.observed.status, 200);
      assert.equal((result.observed.tls as Record<string, unknown>).authorized, false, kind);
      assert.match(result.notes?.[0] ?? '', /^insecure: accepted an invalid certificate \(/);
    }
    const expired = await observed({ url: `${servers.expired.url}/json`, tls: { insecure: true } });
    const expiresIn = (expired.tls as { expiresIn: number }).expiresIn;
    assert.ok(expiresIn < 0, `an expired certificate expires in the past (${expiresIn})`);
  });

  test('a redirect from https to http reports no tls fields', async () => {
    const seen = await observed({ url: `${servers.valid.url}/redirect?to=${encodeURIComponent(`${plain.url}/json`)}`, tls: { ca: certs.ca } });
    assert.equal(seen.status, 200);
    assert.equal(seen.tls, undefined);
  });

  test('an unreadable CA file is an attempt error naming it', async () => {
    const result = await observe({ url: `${servers.valid.url}/json`, tls: { ca: '/nonexistent/ca.pem' } });
    assert.deepEqual(result, { ok: false, error: 'CA file not found (/nonexistent/ca.pem)' });
  });

  test('a TLS handshake to a silent peer fails at the timeout and closes its socket', async (t) => {
    const peer = await silentPeer();
    t.after(() => peer.close());
    const result = await observe({ url: `https://127.0.0.1:${peer.port}/`, tls: { ca: certs.ca } }, context(300));
    assert.deepEqual(result, { ok: false, error: 'timeout after 300ms' });
    await eventually(() => peer.open() === 0, 'the probe closed its socket');
  });
});

describe('credentials in the URL', () => {
  const USER = 'monitor';
  const PASSWORD = 'p@ss:wörd';
  let guarded: { url: string; close: () => Promise<void> };
  before(async () => {
    // Answers 200 only to `Authorization: Basic base64(monitor:p@ss:wörd)` (UTF-8), 401 otherwise, echoing what it got.
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const server = createServer((req, res) => {
      const got = req.headers.authorization ?? null;
      res.writeHead(got === expected ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ authorization: got, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    guarded = { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  });
  after(() => guarded?.close());

  const withCredentials = (base: string, path: string): string =>
    base.replace('://', `://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@`) + path;

  test('are sent as basic auth (percent-escapes decoded), not in the request line', async () => {
    assert.equal((await observed({ url: `${guarded.url}/private` })).status, 401, 'the server really checks');
    const seen = await observed({ url: withCredentials(guarded.url, '/private?q=1') });
    assert.equal(seen.status, 200);
    assert.equal((seen.json as { path: string }).path, '/private?q=1');
  });

  test('an Authorization header, in any letter case, wins over them', async () => {
    const seen = await observed({ url: withCredentials(guarded.url, '/private'), headers: { AUTHORIZATION: 'Bearer t' } });
    assert.equal(seen.status, 401);
    assert.equal((seen.json as { authorization: string }).authorization, 'Bearer t');
  });

  test('are kept out of the target', () => {
    const spec = http.spec.parse({ url: withCredentials(guarded.url, '/private?q=1') });
    assert.equal(http.target(spec), `GET ${guarded.url}/private?q=1`);
    assert.equal(http.target(http.spec.parse({ url: 'http://example.test' })), 'GET http://example.test', 'a URL without them is shown as written');
  });

  test('are not sent on to another origin a redirect leads to', async () => {
    const to = encodeURIComponent(`${guarded.url}/after-redirect`);
    const seen = await observed({ url: withCredentials(plain.url, `/redirect?to=${to}`) });
    assert.equal(seen.status, 401);
    assert.deepEqual(seen.json, { authorization: null, path: '/after-redirect' });
  });
});
