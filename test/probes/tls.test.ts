import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tls } from '../../src/probes/tls/index.ts';
import type { AttemptContext, Observation } from '../../src/probes/types.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';
import { refusedPort } from '../support/net.ts';

const observeTls = await tls.load();

const DAY = 86_400_000;

function context(timeoutMs = 3000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

function observe(spec: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeTls(tls.spec.parse(spec), ctx);
}

async function observed(spec: Record<string, unknown>): Promise<Extract<Observation, { ok: true }>> {
  const result = await observe(spec);
  assert.ok(result.ok, `expected an observation, got ${JSON.stringify(result)}`);
  return result;
}

let certs: TestCerts;
const servers = {} as Record<'valid' | 'expired' | 'wrongHost' | 'selfSigned' | 'mesh' | 'plain', TestServer>;
before(async () => {
  certs = await makeCerts();
  for (const kind of ['valid', 'expired', 'wrongHost', 'selfSigned', 'mesh'] as const) {
    servers[kind] = await startHttpServer({ tls: certs[kind] });
  }
  servers.plain = await startHttpServer();
});
after(async () => {
  for (const server of Object.values(servers)) await server.close();
  await certs?.remove();
});

test('a valid certificate: every field, from the leaf', async () => {
  const result = await observed({ host: 'localhost', port: servers.valid.port, ca: certs.caPath });
  const { expiresIn, ...rest } = result.observed;
  assert.deepEqual(rest, {
    authorized: true,
    issuer: 'O=syncproof tests, CN=syncproof test CA',
    subject: 'CN=localhost',
    altNames: ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'],
    protocol: 'TLSv1.3',
  });
  assert.ok((expiresIn as number) > 89 * DAY && (expiresIn as number) <= 90 * DAY, `expiresIn ${expiresIn}`);
  assert.match(result.summary, /^TLSv1\.3, expires in (89d23h|90d)$/);
  assert.equal(result.notes, undefined);
});

test('a mesh workload certificate (empty subject, a URI:spiffe name) is observed with subject ""', async () => {
  const result = await observed({ host: 'localhost', port: servers.mesh.port, ca: certs.caPath });
  assert.equal(result.observed.authorized, true);
  assert.equal(result.observed.subject, '');
  assert.deepEqual((result.observed.altNames as string[])[0], 'URI:spiffe://cluster.local/ns/shop/sa/web');
});

test('an IP address is checked against the IP entries; ca may be PEM text', async () => {
  const result = await observed({ host: '127.0.0.1', port: servers.valid.port, ca: certs.ca });
  assert.equal(result.observed.authorized, true);
});

test('invalid certificates are observations with the reason as a note', async () => {
  const cases = [
    ['expired', 'certificate has expired'],
    ['wrongHost', 'certificate does not match host name'],
    ['selfSigned', 'self-signed certificate'],
  ] as const;
  for (const [kind, reason] of cases) {
    const result = await observed({ host: 'localhost', port: servers[kind].port, ca: certs.ca });
    assert.equal(result.observed.authorized, false, kind);
    assert.deepEqual(result.notes, [`certificate not verified: ${reason}`], kind);
  }
});

test('without ca, a certificate from an unknown CA is not authorized', async () => {
  const result = await observed({ host: 'localhost', port: servers.valid.port });
  assert.equal(result.observed.authorized, false);
  assert.deepEqual(result.notes, ['certificate not verified: certificate not trusted (unable to verify the first certificate)']);
});

test('an expired certificate expires in the past', async () => {
  const result = await observed({ host: 'localhost', port: servers.expired.port, ca: certs.ca, insecure: true });
  const expiresIn = result.observed.expiresIn as number;
  assert.ok(expiresIn < 0 && expiresIn > -2 * DAY, `expiresIn ${expiresIn}`);
  assert.match(result.summary, /^TLSv1\.3, expired (1d|23h59m) ago$/);
});

test('serverName is sent as SNI and is the name the certificate must match', async () => {
  const result = await observed({ host: '127.0.0.1', port: servers.wrongHost.port, serverName: 'wrong.example', ca: certs.ca });
  assert.equal(result.observed.authorized, true);
  assert.equal(result.observed.subject, 'CN=wrong.example');
});

test('a refused port names the address', async () => {
  const port = await refusedPort();
  assert.deepEqual(await observe({ host: '127.0.0.1', port }), { ok: false, error: `connection refused (127.0.0.1:${port})` });
});

test('TLS spoken to a plaintext port is a handshake error', async () => {
  assert.deepEqual(await observe({ host: '127.0.0.1', port: servers.plain.port }), {
    ok: false, error: `TLS handshake failed (is the port speaking TLS?) (127.0.0.1:${servers.plain.port})`,
  });
});

test('an unreadable CA file is an attempt error naming it', async () => {
  assert.deepEqual(await observe({ host: 'localhost', port: servers.valid.port, ca: '/nonexistent/ca.pem' }), {
    ok: false, error: 'CA file not found (/nonexistent/ca.pem)',
  });
});

test('the target and the default port', () => {
  assert.equal(tls.target(tls.spec.parse({ host: 'shop.example.com' })), 'tls://shop.example.com:443');
  assert.equal(tls.target(tls.spec.parse({ host: '::1', port: 8443, serverName: 'shop' })), 'tls://[::1]:8443 (shop)');
});
