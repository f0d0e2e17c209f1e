import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nats } from '../../src/probes/nats/index.ts';
import { MAX_CREDS_BYTES } from '../../src/probes/nats/connect.ts';
import { startNats, startNatsCluster, type NatsNode } from '../support/nats.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { makeCerts } from '../support/certs.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import { fallsTo, openHandles, probeCalls } from '../support/probe-calls.ts';

const ADMIN = { user: 'admin', pass: 'harness-admin-pw' };
/** The least-privilege user of docs/probes/nats.md, as the docs write it. */
const docsUser = (() => {
  const docs = readFileSync(new URL('../../docs/probes/nats.md', import.meta.url), 'utf8');
  const block = /# syncproof user \(nats-server\.conf\)\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(block, 'the user block of the docs');
  return block.replace('CHANGE-ME', 'monitor-pw');
})();

let server: NatsNode;
let admin: NatsConnection;
let jsm: JetStreamManager;
before(async () => {
  server = await startNats({ config: `authorization { users: [ { user: ${ADMIN.user}, password: ${ADMIN.pass} }, ${docsUser} ] }` });
  admin = await connect({ servers: server.url, ...ADMIN });
  jsm = await jetstreamManager(admin);
  await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
  await jsm.consumers.add('ORDERS', { durable_name: 'order-workers', ack_policy: AckPolicy.Explicit });
});
after(async () => {
  await admin?.close().catch(() => {});
  await server?.stop();
});

const { context, observe, observed, failure, holds } = probeCalls(nats, 3000);
const as = { user: ADMIN.user, password: ADMIN.pass };

test('a healthy server: connected, rtt, version; the default expect passes', async () => {
  const { observed: seen, summary } = await observed({ servers: [server.url], ...as });
  assert.equal(seen.connected, true);
  assert.equal((seen.server as { version: string }).version, '2.9.10');
  assert.ok(typeof seen.rtt === 'number' && seen.rtt >= 0 && seen.rtt < 1000, `rtt ${seen.rtt}`);
  assert.match(summary, /^nats 2\.9\.10 \(127\.0\.0\.1:\d+\), rtt \d+ms$/);
  assert.ok(holds('connected', seen) && holds('rtt < 1s', seen));
});

test('a consumer that stops consuming: pending grows while messages are published, and falls to 0 once a worker catches up', async () => {
  const input = { servers: [server.url], ...as, stream: 'ORDERS', consumer: 'order-workers' };
  const js = jetstream(admin);
  const start = (await observed(input)).observed;
  const before = (start.consumer as { pending: number }).pending;
  for (let i = 0; i < 5; i++) await js.publish('orders.created', JSON.stringify({ order: i }));
  const behind = await observed(input);
  assert.equal((behind.observed.consumer as { pending: number }).pending, before + 5);
  assert.equal((behind.observed.stream as { consumers: number }).consumers, 1);
  assert.ok(holds(`consumer.pending > ${before}`, behind.observed));
  assert.equal(holds('consumer.pending == 0', behind.observed), false);
  assert.match(behind.summary, new RegExp(`, stream ORDERS: \\d+ messages, consumer order-workers: ${before + 5} pending, 0 awaiting ack$`));
  const consumer = await jetstream(admin).consumers.get('ORDERS', 'order-workers');
  const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
  for await (const m of batch) { m.ack(); if ((await consumer.info(true)).num_pending === 0) break; }
  await new Promise((r) => setTimeout(r, 200));
  const caughtUp = await observed(input);
  assert.deepEqual(caughtUp.observed.consumer, { pending: 0, ackPending: 0, redelivered: 0, waiting: 0 });
  assert.ok(holds('consumer.pending == 0', caughtUp.observed));
});

test('a missing stream or consumer fails the attempt, naming it', async () => {
  assert.equal(await failure({ servers: [server.url], ...as, stream: 'NOPE' }), 'stream "NOPE" not found');
  assert.equal(await failure({ servers: [server.url], ...as, stream: 'ORDERS', consumer: 'nope' }), 'consumer "nope" not found on stream "ORDERS"');
});

test('writeCheck: a PubAck from the stream, read back and deleted; a subject no stream captures is not writable', async () => {
  const messages = async () => (await jsm.streams.info('ORDERS')).state.messages;
  const count = await messages();
  const { observed: seen, summary } = await observed({ servers: [server.url], ...as, stream: 'ORDERS', writeCheck: { subject: 'orders.syncproof.canary' } });
  assert.equal(seen.writable, true);
  assert.match(summary, /, writable$/);
  assert.equal(await messages(), count, 'the canary was deleted again');
  const lost = await observed({ servers: [server.url], ...as, stream: 'ORDERS', writeCheck: true });
  assert.equal(lost.observed.writable, false);
  assert.ok(holds('!writable', lost.observed));
  assert.deepEqual(lost.notes, ['writeCheck: no responders: JetStream is not enabled for this account, or no stream captures the subject']);
});

test('writeCheck on a full stream (discard new): writable false with the server\'s words', async (t) => {
  await jsm.streams.add({ name: 'FULL', subjects: ['full.>'], max_msgs: 1, discard: 'new' as never });
  t.after(() => jsm.streams.delete('FULL'));
  await jetstream(admin).publish('full.one', 'x');
  const { observed: seen, notes } = await observed({ servers: [server.url], ...as, stream: 'FULL', writeCheck: { subject: 'full.canary' } });
  assert.equal(seen.writable, false);
  assert.deepEqual(notes, ['writeCheck: maximum messages exceeded']);
});

test('the least-privilege user of docs/probes/nats.md can run every check; beyond its grants the server refuses', async () => {
  const monitor = { user: 'syncproof', password: 'monitor-pw' };
  const seen = await observed({ servers: [server.url], ...monitor, stream: 'ORDERS', consumer: 'order-workers', writeCheck: { subject: 'orders.syncproof.canary' } });
  assert.equal(seen.observed.writable, true, seen.notes.join('\n'));
  assert.deepEqual(seen.notes, []);
  assert.equal(typeof (seen.observed.consumer as { pending: unknown }).pending, 'number');
  await jsm.streams.add({ name: 'OTHER', subjects: ['other.>'] });
  try {
    assert.match(await failure({ servers: [server.url], ...monitor, stream: 'OTHER' }), /^Permissions Violation for Publish to "\$JS\.API\.STREAM\.INFO\.OTHER"/);
  } finally {
    await jsm.streams.delete('OTHER');
  }
});

test('a wrong password fails in the server\'s words, never shown; the target carries no credentials', async () => {
  const wrong = 'wrong-Pw-zz9';
  const result = await observe({ servers: [server.url], user: 'admin', password: wrong });
  assert.deepEqual(result, { ok: false, error: 'Authorization Violation' });
  assert.equal(await failure({ servers: [server.url] }), 'Authorization Violation');
  assert.equal(nats.target(nats.spec.parse({ servers: [`nats://admin:${wrong}@127.0.0.1:4222`, 'n2'], stream: 'S', consumer: 'c' })), 'nats://127.0.0.1:4222,n2:4222/S/c');
});

test('token authentication; a creds file that cannot be read or parsed fails plainly', async (t) => {
  const token = 'nats-Token-4711';
  const guarded = await startNats({ config: `authorization { token: "${token}" }` });
  t.after(() => guarded.stop());
  assert.equal((await observed({ servers: [guarded.url], token })).observed.connected, true);
  assert.equal(await failure({ servers: [guarded.url], token: 'nope' }), 'Authorization Violation');
  assert.equal(await failure({ servers: [guarded.url], creds: '/nonexistent/syncproof.creds' }), 'creds file not found (/nonexistent/syncproof.creds)');
  assert.match(await failure({ servers: [guarded.url], creds: '-----BEGIN NATS USER JWT-----\nnot a jwt' }), /unable to parse credentials/);
});

test('a creds path that is a FIFO, a device or larger than 64 KiB fails at once, saying so', async (t) => {
  const files = tempFiles({ 'big.creds': 'x'.repeat(MAX_CREDS_BYTES + 1) });
  t.after(() => files.cleanup());
  execFileSync('mkfifo', [files.path('fifo.creds')]);
  const started = Date.now();
  assert.equal(await failure({ servers: [server.url], creds: files.path('fifo.creds') }), `creds file not readable: it is a FIFO, not a regular file (${files.path('fifo.creds')})`);
  assert.equal(await failure({ servers: [server.url], creds: '/dev/zero' }), 'creds file not readable: it is a character device, not a regular file (/dev/zero)');
  assert.equal(await failure({ servers: [server.url], creds: files.path('big.creds') }), `creds file not readable: it is larger than 64 KiB (${files.path('big.creds')})`);
  assert.ok(Date.now() - started < 2000, 'a FIFO is not waited on');
});

test('servers are tried in order: a refused first server, then a live one', async () => {
  const port = await refusedPort();
  const { observed: seen, summary } = await observed({ servers: [`127.0.0.1:${port}`, server.url], ...as });
  assert.equal(seen.connected, true);
  assert.match(summary, new RegExp(`\\(127\\.0\\.0\\.1:${server.port}\\)`));
  assert.equal(await failure({ servers: [`127.0.0.1:${port}`] }), `connection refused (127.0.0.1:${port})`);
});

test('TLS: verified against the CA; an untrusted certificate or a wrong name is refused', async (t) => {
  const certs = await makeCerts();
  t.after(() => certs.remove());
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(certs.dir, 'nats.pem'), certs.valid.cert);
  writeFileSync(join(certs.dir, 'nats.key'), certs.valid.key);
  const secure = await startNats({ tls: { certFile: join(certs.dir, 'nats.pem'), keyFile: join(certs.dir, 'nats.key') } });
  t.after(() => secure.stop());
  const servers = [`tls://localhost:${secure.port}`];
  assert.equal((await observed({ servers, tls: { ca: certs.caPath } })).observed.connected, true);
  const where = `localhost:${secure.port}`;
  assert.equal(await failure({ servers }), `certificate not trusted (unable to verify the first certificate) (${where})`);
  assert.equal(await failure({ servers, tls: { ca: certs.ca, serverName: 'other.example' } }), `certificate does not match host name (${where})`);
  assert.equal((await observed({ servers, tls: { insecure: true } })).observed.connected, true);
});

// A signal that aborts at the timeout, and one aborted before it starts: test/probes/contract.test.ts.
test('a silent peer fails as a timeout at the attempt timeout when the signal would abort later', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const before = openHandles();
  const started = Date.now();
  assert.equal(await failure({ servers: [`127.0.0.1:${peer.port}`] }, context(400, AbortSignal.timeout(3000))), 'timeout after 400ms');
  assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
  assert.ok(await fallsTo(() => peer.open(), 0), 'the connection was closed');
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
});

test('a peer that floods bytes without a line end is cut off at 4 MiB', async (t) => {
  const sockets = new Set<net.Socket>();
  const flood = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => { while (!socket.destroyed && socket.write(chunk)); };
    socket.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
  t.after(() => { for (const s of sockets) s.destroy(); flood.close(); });
  const port = (flood.address() as net.AddressInfo).port;
  const started = Date.now();
  assert.equal(await failure({ servers: [`127.0.0.1:${port}`] }, context(3000)), `the server sent more than 4 MiB (127.0.0.1:${port})`);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started}ms`);
});

test('a finished attempt leaves no socket or timer behind', async () => {
  const before = openHandles();
  await observed({ servers: [server.url], ...as, stream: 'ORDERS', consumer: 'order-workers', writeCheck: { subject: 'orders.syncproof.canary' } });
  assert.ok(await fallsTo(openHandles, before));
});

test('an attempt aborted while it starts opens no socket', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const controller = new AbortController();
  const pending = observe({ servers: [`127.0.0.1:${peer.port}`], tls: { ca: '/nonexistent-but-read-later.pem' } }, context(1000, controller.signal));
  controller.abort();
  const result = await pending;
  assert.equal(result.ok, false);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(peer.accepted(), 0);
});

test('the spec: servers required; one way to log in; consumer and writeCheck need a stream', () => {
  for (const bad of [{}, { servers: [] }, { servers: ['http://x'] }, { servers: ['x'], password: 'p' }, { servers: ['x'], user: 'u', token: 't' },
    { servers: ['x'], consumer: 'c' }, { servers: ['x'], writeCheck: true }, { servers: ['x'], stream: 'a.b' }, { servers: ['x'], stream: 'S', writeCheck: { subject: 'a.>' } }]) {
    assert.equal(nats.spec.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(nats.target(nats.spec.parse({ servers: ['tls://[::1]:4443'] })), 'tls://[::1]:4443');
  assert.deepEqual(nats.defaultExpect, ['connected']);
});

test('through the CLI: a consumer falling behind fails the run (exit 1); caught up it passes', async (t) => {
  await jsm.consumers.add('ORDERS', { durable_name: 'billing', ack_policy: AckPolicy.Explicit, deliver_policy: 'new' as never });
  t.after(() => jsm.consumers.delete('ORDERS', 'billing'));
  const files = tempFiles({ 'suite.yaml': [
    'suite: orders', 'defaults: { within: 0s, timeout: 5s }', 'probes:',
    `  - { name: billing keeping up, type: nats, servers: ["${server.url}"], user: admin, password: "\${env:NATS_PASSWORD}", stream: ORDERS, consumer: billing,`,
    '      expect: [consumer.pending < 3] }',
  ].join('\n') });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', ''];
  const env = { NO_COLOR: '1', NATS_PASSWORD: ADMIN.pass };
  for (let i = 0; i < 4; i++) await jetstream(admin).publish('orders.billed', String(i));
  const failing = await runCli(args, { env });
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /\n {2}✗ billing keeping up: consumer\.pending = 4 \(expected < 3\)\n/);
  const consumer = await jetstream(admin).consumers.get('ORDERS', 'billing');
  for await (const m of await consumer.fetch({ max_messages: 4, expires: 2000 })) { m.ack(); if (m.info.pending === 0) break; }
  await new Promise((r) => setTimeout(r, 200));
  const passing = await runCli(args, { env });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /\n {2}✓ billing keeping up: nats 2\.9\.10 .*consumer billing: 0 pending, 0 awaiting ack in \d+ms\n/);
});

test('a three-node cluster with one replica stopped: cluster.replicas shows it not current and lagging; back, it catches up', { timeout: 120_000 }, async (t) => {
  const cluster = await startNatsCluster();
  t.after(() => cluster.stop());
  const harness = await connect({ servers: [...cluster.servers] });
  t.after(() => harness.close());
  let manager: JetStreamManager | undefined;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      manager = await jetstreamManager(harness);
      await manager.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const input = { servers: [...cluster.servers], stream: 'R3', writeCheck: { subject: 'r3.canary' } };
  const replicasOf = (seen: Record<string, unknown>) => (seen.cluster as { leader: string; replicas: { name: string; current: boolean; lag: number; offline: boolean }[] });
  const healthy = await observed(input);
  const { leader, replicas } = replicasOf(healthy.observed);
  assert.equal(replicas.length, 2);
  assert.ok(replicas.every((r) => r.current && !r.offline), JSON.stringify(replicas));
  assert.ok(holds('cluster.replicas[0].current', healthy.observed) && holds('cluster.replicas[1].current', healthy.observed));
  assert.match(healthy.summary, new RegExp(`leader ${leader}, 2/2 replicas current, writable$`));

  const victim = cluster.nodes.find((n) => n.name === replicas[0]!.name)!;
  await victim.stop();
  const live = { ...input, servers: cluster.nodes.filter((n) => n !== victim).map((n) => n.url) };
  let stopped;
  for (const until = Date.now() + 30_000; ;) {
    stopped = await observed(live);
    const mine = replicasOf(stopped.observed).replicas.find((r) => r.name === victim.name);
    if (mine && !mine.current) break;
    assert.ok(Date.now() < until, `the stopped replica is still reported current: ${JSON.stringify(stopped.observed.cluster)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const down = replicasOf(stopped.observed).replicas.find((r) => r.name === victim.name)!;
  assert.equal(down.current, false);
  assert.ok(down.lag > 0 || down.offline, JSON.stringify(down));
  assert.equal(holds('cluster.replicas[0].current', stopped.observed), false);
  assert.equal(stopped.observed.writable, true, 'two of three still take writes');
  assert.match(stopped.summary, /, 1\/2 replicas current, writable$/);

  await victim.start();
  for (const until = Date.now() + 30_000; ;) {
    const back = await observed(input);
    if (replicasOf(back.observed).replicas.every((r) => r.current)) break;
    assert.ok(Date.now() < until, `the restarted replica did not catch up: ${JSON.stringify(back.observed.cluster)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test('a servers list of IP literals needs no host lookup; a name in it does', async () => {
  const { namesAHost } = await import('../../src/run/load.ts');
  const config = (servers: string[]) => [{ type: nats, spec: nats.spec.parse({ servers }) }];
  assert.equal(namesAHost(config(['127.0.0.1:4222', 'nats://[::1]:4222', 'tls://10.0.0.1'])), false);
  for (const named of [['nats-0.nats:4222'], ['127.0.0.1', 'nats://nats-1.nats:4222'], ['localhost']]) assert.equal(namesAHost(config(named)), true, named.join());
});
