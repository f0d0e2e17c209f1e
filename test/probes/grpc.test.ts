import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { grpc } from '../../src/probes/grpc/index.ts';
import { decodeResponse, encodeRequest } from '../../src/probes/grpc/health-message.ts';
import type { Observed } from '../../src/probes/types.ts';
import { fallsTo, openHandles, probeCalls } from '../support/probe-calls.ts';
import { startGrpcServer, type GrpcServer } from '../support/grpc.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { runCli, tempFiles } from '../support/cli.ts';

let server: GrpcServer;
let certs: TestCerts;
before(async () => {
  [server, certs] = await Promise.all([startGrpcServer({ statuses: { 'orders.v1.Orders': 'SERVING' } }), makeCerts()]);
});
after(async () => {
  await Promise.all([server?.stop(), certs?.remove()]);
});

const { context, observe, observed, failure, holds: holdsLine } = probeCalls(grpc, 3000);
/** Whether the default expectations (or `lines`) pass against an observation. */
const holds = (seen: Observed, lines: readonly string[] = grpc.defaultExpect as readonly string[]): boolean => lines.every((line) => holdsLine(line, seen));

const at = (port: number) => ({ host: '127.0.0.1', port });

test('a serving server passes the default expect; switched to NOT_SERVING it fails it, and passes again when back', async () => {
  const serving = await observed(at(server.port));
  assert.deepEqual(serving, { observed: { status: 'SERVING', code: 'OK' }, summary: 'SERVING', notes: [] });
  assert.ok(holds(serving.observed));
  server.setStatus('', 'NOT_SERVING');
  try {
    const down = await observed(at(server.port));
    assert.deepEqual(down, { observed: { status: 'NOT_SERVING', code: 'OK' }, summary: 'NOT_SERVING', notes: [] });
    assert.equal(holds(down.observed), false);
  } finally {
    server.setStatus('', 'SERVING');
  }
  assert.ok(holds((await observed(at(server.port))).observed));
});

test('service: the named service\'s own status; an unknown one is SERVICE_UNKNOWN with code NOT_FOUND', async () => {
  assert.equal((await observed({ ...at(server.port), service: 'orders.v1.Orders' })).observed.status, 'SERVING');
  server.setStatus('orders.v1.Orders', 'NOT_SERVING');
  try {
    assert.equal((await observed({ ...at(server.port), service: 'orders.v1.Orders' })).observed.status, 'NOT_SERVING');
    assert.equal((await observed(at(server.port))).observed.status, 'SERVING', 'the server as a whole still serves');
  } finally {
    server.setStatus('orders.v1.Orders', 'SERVING');
  }
  const unknown = await observed({ ...at(server.port), service: 'no.such.Service' });
  assert.deepEqual(unknown.observed, { status: 'SERVICE_UNKNOWN', code: 'NOT_FOUND' });
  assert.equal(unknown.summary, 'NOT_FOUND: Health status unknown for service no.such.Service');
  assert.equal(holds(unknown.observed), false);
});

test('a server without the health service: status UNKNOWN, code UNIMPLEMENTED (observed, so it can be asserted)', async (t) => {
  const bare = await startGrpcServer({ withoutHealth: true });
  t.after(() => bare.stop());
  const seen = await observed(at(bare.port));
  assert.deepEqual(seen.observed, { status: 'UNKNOWN', code: 'UNIMPLEMENTED' });
  assert.match(seen.summary, /^UNIMPLEMENTED/);
  assert.ok(holds(seen.observed, ['code == "UNIMPLEMENTED"']));
  assert.equal(holds(seen.observed), false);
});

test('metadata is sent; a server refusing the token fails the attempt in its own words', async (t) => {
  const token = 'grpc-Token-4711';
  const guarded = await startGrpcServer({ token });
  t.after(() => guarded.stop());
  assert.equal((await observed({ ...at(guarded.port), metadata: { authorization: `Bearer ${token}` } })).observed.status, 'SERVING');
  assert.equal(guarded.calls().at(-1)?.authorization, `Bearer ${token}`);
  assert.equal(await failure({ ...at(guarded.port), metadata: { authorization: 'Bearer wrong' } }), 'UNAUTHENTICATED: invalid or missing token');
  assert.equal(await failure(at(guarded.port)), 'UNAUTHENTICATED: invalid or missing token');
  assert.equal(grpc.target(grpc.spec.parse({ ...at(guarded.port), metadata: { authorization: `Bearer ${token}` } })).includes(token), false);
});

test('TLS: verified against the CA and the server name; untrusted or mismatched certificates are refused', async (t) => {
  const secure = await startGrpcServer({ tls: certs.valid });
  t.after(() => secure.stop());
  const where = `127.0.0.1:${secure.port}`;
  assert.equal((await observed({ ...at(secure.port), tls: { ca: certs.caPath } })).observed.status, 'SERVING');
  assert.equal((await observed({ host: 'localhost', port: secure.port, tls: { ca: certs.ca } })).observed.status, 'SERVING');
  assert.equal(await failure({ ...at(secure.port), tls: {} }), `certificate not trusted (unable to verify the first certificate) (${where})`);
  assert.equal(await failure({ ...at(secure.port), tls: { ca: certs.caPath, serverName: 'other.example' } }), `certificate does not match host name (${where})`);
  assert.equal((await observed({ ...at(secure.port), tls: { insecure: true } })).observed.status, 'SERVING');
  assert.equal(await failure({ ...at(secure.port), tls: { ca: '/nonexistent/ca.pem' } }), 'CA file not found (/nonexistent/ca.pem)');
  assert.equal(grpc.target(grpc.spec.parse({ ...at(secure.port), tls: {}, service: 'a.B' })), `grpcs://${where}/a.B`);
});

test('a refused port fails at once, naming the address', async () => {
  const port = await refusedPort();
  const started = Date.now();
  assert.equal(await failure(at(port)), `connection refused (127.0.0.1:${port})`);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started}ms`);
});

// Plaintext, and aborted before it starts: test/probes/contract.test.ts.
test('a silent TLS peer fails as a timeout within timeout + 1s and leaves no socket or timer', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const before = openHandles();
  const started = Date.now();
  assert.equal(await failure({ ...at(peer.port), tls: { insecure: true } }, context(400)), 'timeout after 400ms');
  assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
  assert.ok(await fallsTo(() => peer.open(), 0), 'the connection was closed');
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
  assert.equal(peer.accepted(), 1);
});

test('a finished attempt leaves no socket or timer behind', async () => {
  await observed(at(server.port));
  const before = openHandles();
  await observed(at(server.port));
  assert.ok(await fallsTo(openHandles, before));
});

test('an attempt aborted while it starts opens no socket', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const controller = new AbortController();
  const pending = observe({ ...at(peer.port), tls: { ca: certs.caPath } }, context(1000, controller.signal));
  controller.abort();
  assert.deepEqual(await pending, { ok: false, error: 'timeout after 1s' });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(peer.accepted(), 0);
});

test('the health messages: the request encodes the service; replies decode, unknown fields skipped, garbage refused', () => {
  assert.deepEqual(encodeRequest(''), Buffer.alloc(0));
  assert.deepEqual(encodeRequest('a.B'), Buffer.from([0x0a, 3, 0x61, 0x2e, 0x42]));
  assert.equal(decodeResponse(Buffer.alloc(0)), 'UNKNOWN');
  assert.equal(decodeResponse(Buffer.from([0x08, 1])), 'SERVING');
  assert.equal(decodeResponse(Buffer.from([0x12, 2, 0x41, 0x42, 0x08, 2])), 'NOT_SERVING');
  assert.equal(decodeResponse(Buffer.from([0x08, 9])), 'UNKNOWN');
  assert.throws(() => decodeResponse(Buffer.from([0x12, 9, 0x41])), /truncated/);
  assert.throws(() => decodeResponse(Buffer.from([0x0b])), /wire type/);
});

test('the spec: host and port required; metadata keys lower-case, not reserved, not binary', () => {
  for (const bad of [{ host: 'x' }, { port: 1 }, { ...at(1), metadata: { Authorization: 'x' } }, { ...at(1), metadata: { 'grpc-timeout': '1' } },
    { ...at(1), metadata: { 'trace-bin': 'x' } }, { ...at(1), metadata: { a: 'line\nbreak' } }, { ...at(1), bogus: 1 }]) {
    assert.equal(grpc.spec.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(grpc.target(grpc.spec.parse({ host: '[::1]', port: 50051 })), 'grpc://[::1]:50051');
  assert.deepEqual(grpc.defaultExpect, ['status == "SERVING"']);
});

test('through the CLI: a NOT_SERVING server fails the run (exit 1) with the status on its line; SERVING passes it', async (t) => {
  const files = tempFiles({ 'suite.yaml': [
    'suite: orders', 'defaults: { within: 0s, timeout: 3s }', 'probes:',
    `  - { name: orders api, type: grpc, host: localhost, port: ${server.port}, metadata: { authorization: "Bearer \${env:TOKEN}" } }`,
  ].join('\n') });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', ''];
  const env = { NO_COLOR: '1', TOKEN: 'grpc-Cli-Token-42' };
  server.setStatus('', 'NOT_SERVING');
  let failing;
  try {
    failing = await runCli(args, { env });
  } finally {
    server.setStatus('', 'SERVING');
  }
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /\n {2}✗ orders api: status = "NOT_SERVING" \(expected == "SERVING"\)\n/);
  const passing = await runCli(args, { env });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /\n {2}✓ orders api: SERVING in \d+ms\n/);
  assert.equal(server.calls().at(-1)?.authorization, 'Bearer grpc-Cli-Token-42');
});
