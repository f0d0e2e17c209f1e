import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ChannelModel } from 'amqplib';
import { rabbitmq } from '../../src/probes/rabbitmq/index.ts';
import { fallsTo, openHandles, probeCalls } from '../support/probe-calls.ts';
import { RABBIT_ADMIN, RABBIT_VERSION, startRabbitMq, type RabbitServer } from '../support/rabbitmq.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { runCli, tempFiles } from '../support/cli.ts';

let server: RabbitServer;
let certs: TestCerts;
let admin: ChannelModel;
before(async () => {
  certs = await makeCerts();
  server = await startRabbitMq({ tls: certs.valid });
  admin = await server.connect();
});
after(async () => {
  await admin?.close().catch(() => {});
  await Promise.all([server?.stop(), certs?.remove()]);
});

const { password } = RABBIT_ADMIN;

const { context, observe, observed, failure, holds } = probeCalls(rabbitmq, 5000);

/** A queue holding `messages` ready messages, declared fresh. */
async function queueWith(name: string, messages: number): Promise<void> {
  const channel = await admin.createConfirmChannel();
  await channel.deleteQueue(name);
  await channel.assertQueue(name, { durable: true });
  for (let i = 0; i < messages; i++) channel.sendToQueue(name, Buffer.from(`job ${i}`), { persistent: true });
  await channel.waitForConfirms();
  await channel.close();
}

test('a healthy broker: connected, its version, the default expect passes', async () => {
  const { observed: seen, summary } = await observed({ url: server.url(), password });
  assert.deepEqual(seen, { connected: true, server: { version: RABBIT_VERSION } });
  assert.equal(summary, `RabbitMQ ${RABBIT_VERSION}`);
  assert.ok(holds('connected', seen) && holds('server.version matches /^3\\./', seen));
});

test('a queue with no consumer: its ready messages and 0 consumers; a consumer attached makes it pass', async (t) => {
  await queueWith('orders.jobs', 3);
  const input = { url: server.url(), password, queue: 'orders.jobs' };
  const idle = await observed(input);
  assert.deepEqual(idle.observed.queue, { exists: true, messages: 3, consumers: 0 });
  assert.equal(idle.summary, `RabbitMQ ${RABBIT_VERSION}, queue orders.jobs: 3 ready, 0 consumers`);
  assert.equal(holds('queue.consumers > 0', idle.observed), false);
  assert.ok(holds('queue.messages == 3', idle.observed));

  const worker = await admin.createChannel();
  t.after(() => worker.close().catch(() => {}));
  await worker.prefetch(1);
  const { consumerTag } = await worker.consume('orders.jobs', () => {}, { noAck: false }); // takes one, never acks
  const busy = await observed(input);
  assert.deepEqual(busy.observed.queue, { exists: true, messages: 2, consumers: 1 });
  assert.ok(holds('queue.consumers > 0', busy.observed));
  await worker.cancel(consumerTag);
  assert.equal(holds('queue.consumers > 0', (await observed(input)).observed), false);
});

test('a missing queue is observed as queue.exists false, not an attempt error, and nothing is created', async () => {
  const { observed: seen, summary } = await observed({ url: server.url(), password, queue: 'no.such.queue' });
  assert.deepEqual(seen.queue, { exists: false, messages: null, consumers: null });
  assert.equal(summary, `RabbitMQ ${RABBIT_VERSION}, queue no.such.queue missing`);
  assert.ok(holds('!queue.exists', seen));
  assert.equal(holds('queue.exists', seen), false);
  assert.doesNotMatch(await server.ctl('list_queues', 'name'), /no\.such\.queue/);
});

test('writeCheck: a confirmed publish to the auto-expiring canary queue, got back; the queue is left empty', async () => {
  const { observed: seen, summary } = await observed({ url: server.url(), password, writeCheck: true, queue: 'orders.jobs' });
  assert.equal(seen.writable, true);
  assert.match(summary, /, writable$/);
  const queues = await server.ctl('list_queues', 'name', 'messages', 'durable', 'arguments');
  assert.match(queues, /syncproof\.canary\.orders\t0\ttrue\t\[\{"x-expires",60000\}\]/, queues);
  assert.equal((await observed({ url: server.url(), password, writeCheck: true })).observed.writable, true, 'again, on the same queue');
});

test('writeCheck while the broker blocks publishers (memory alarm): writable false with the reason, before the timeout', async (t) => {
  await server.ctl('set_vm_memory_high_watermark', '0.000001');
  t.after(() => server.ctl('set_vm_memory_high_watermark', '0.4'));
  const before = openHandles();
  const started = Date.now();
  const result = await observe({ url: server.url(), password, writeCheck: true }, context(3000));
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.observed.writable, false);
  assert.ok(holds('!writable', result.observed));
  assert.match(result.notes?.[0] ?? '', /^writeCheck: the broker blocks publishers \(low on memory\)$/);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started}ms`);
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
  await server.ctl('set_vm_memory_high_watermark', '0.4');
  assert.equal((await observed({ url: server.url(), password, writeCheck: true })).observed.writable, true, 'writable again once the alarm clears');
});

test('a wrong password fails in the broker\'s words and is never shown; the target has no password', async () => {
  const wrong = 'wrong-Pw-zz9';
  const result = await observe({ url: server.url(), password: wrong });
  assert.deepEqual(result, { ok: false, error: 'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.' });
  const withPassword = `amqp://admin:${password}@127.0.0.1:${server.port}/`;
  assert.equal(rabbitmq.target(rabbitmq.spec.parse({ url: withPassword })), `amqp://admin@127.0.0.1:${server.port}/%2F`);
  assert.equal((await observe({ url: withPassword })).ok, true, 'the url\'s password');
});

test('an unknown vhost fails naming it and the user', async () => {
  assert.equal(await failure({ url: server.url('admin', 'nope'), password }), 'vhost "nope" refused by the broker (it does not exist, or user "admin" may not use it)');
});

test('amqps://: verified against the CA; an untrusted certificate or a wrong name is refused', async () => {
  const url = `amqps://admin@localhost:${server.tlsPort}/`;
  assert.equal((await observed({ url, password, tls: { ca: certs.caPath } })).observed.connected, true);
  const where = `localhost:${server.tlsPort}`;
  assert.equal(await failure({ url, password }), `certificate not trusted (unable to verify the first certificate) (${where})`);
  assert.equal(await failure({ url, password, tls: { ca: certs.ca, serverName: 'other.example' } }), `certificate does not match host name (${where})`);
  assert.equal((await observed({ url, password, tls: { insecure: true } })).observed.connected, true);
});

test('the least-privilege user of docs/probes/rabbitmq.md can observe a queue and pass the writeCheck', async (t) => {
  const docs = readFileSync(new URL('../../docs/probes/rabbitmq.md', import.meta.url), 'utf8');
  const lines = docs.split('\n').filter((l) => l.startsWith('rabbitmqctl '));
  assert.ok(lines.length >= 2, 'the rabbitmqctl lines of the docs');
  for (const line of lines) {
    const args = [...line.matchAll(/'([^']*)'|(\S+)/g)].slice(1).map((m) => m[1] ?? m[2] ?? '').map((a) => (a === 'CHANGE-ME' ? 'monitor-pw' : a));
    await server.ctl(...args);
  }
  t.after(() => server.ctl('delete_user', 'syncproof'));
  await queueWith('orders.jobs', 1);
  const seen = await observed({ url: server.url('syncproof'), password: 'monitor-pw', queue: 'orders.jobs', writeCheck: true });
  assert.deepEqual(seen.observed.queue, { exists: true, messages: 1, consumers: 0 });
  assert.equal(seen.observed.writable, true, seen.notes.join('\n'));
});

test('a refused port fails at once, naming the address', async () => {
  const port = await refusedPort();
  assert.equal(await failure({ url: `amqp://127.0.0.1:${port}` }), `connection refused (127.0.0.1:${port})`);
});

// amqp:// with a signal that aborts at the timeout, and aborted before it starts: test/probes/contract.test.ts.
test('a silent peer (amqp or amqps) fails as a timeout within timeout + 1s and leaves no socket or timer', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  for (const url of [`amqp://127.0.0.1:${peer.port}`, `amqps://127.0.0.1:${peer.port}`]) {
    for (const ctx of [...(url.startsWith('amqps') ? [context(400)] : []), context(400, AbortSignal.timeout(3000))]) {
      const before = openHandles();
      const started = Date.now();
      assert.equal(await failure({ url }, ctx), 'timeout after 400ms');
      assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
      assert.ok(await fallsTo(() => peer.open(), 0), 'the connection was closed');
      assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
    }
  }
});

test('a finished attempt leaves no socket or timer behind', async () => {
  const before = openHandles();
  await observed({ url: server.url(), password, queue: 'orders.jobs', writeCheck: true });
  assert.ok(await fallsTo(openHandles, before));
});

test('an attempt aborted while it starts opens no socket', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const controller = new AbortController();
  const pending = observe({ url: `amqps://127.0.0.1:${peer.port}`, tls: { ca: certs.caPath } }, context(1000, controller.signal));
  controller.abort();
  assert.deepEqual(await pending, { ok: false, error: 'timeout after 1s' });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(peer.accepted(), 0);
});

test('the spec: an amqp(s):// url; tls needs amqps; the target shows user and vhost, never the password', () => {
  for (const bad of [{ url: 'http://x' }, { url: 'amqp://x', tls: { insecure: true } }, { url: 'amqp://x', queue: '' }, { url: 'amqp://x', bogus: 1 }, { url: 'amqp://%zz@x' }]) {
    assert.equal(rabbitmq.spec.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(rabbitmq.target(rabbitmq.spec.parse({ url: 'amqps://mon:pw@rabbit.svc/orders' })), 'amqps://mon@rabbit.svc:5671/orders');
  assert.equal(rabbitmq.target(rabbitmq.spec.parse({ url: 'amqp://[::1]' })), 'amqp://guest@[::1]:5672/%2F');
  assert.deepEqual(rabbitmq.defaultExpect, ['connected']);
});

test('through the CLI: a queue nobody consumes fails the run (exit 1); with a worker consuming it passes', async (t) => {
  await queueWith('orders.jobs', 2);
  const files = tempFiles({ 'suite.yaml': [
    'suite: orders', 'defaults: { within: 0s, timeout: 5s }', 'probes:',
    `  - { name: workers consuming, type: rabbitmq, url: "${server.url()}", password: "\${env:RABBIT_PASSWORD}", queue: orders.jobs, writeCheck: true,`,
    '      expect: [writable, queue.consumers > 0] }',
  ].join('\n') });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', ''];
  const env = { NO_COLOR: '1', RABBIT_PASSWORD: password };
  const failing = await runCli(args, { env });
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /\n {2}✗ workers consuming: queue\.consumers = 0 \(expected > 0\)\n/);
  const worker = await admin.createChannel();
  t.after(() => worker.close().catch(() => {}));
  await worker.consume('orders.jobs', (m) => { if (m) worker.ack(m); });
  const passing = await runCli(args, { env });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /\n {2}✓ workers consuming: RabbitMQ \S+, queue orders\.jobs: 0 ready, 1 consumer, writable in \d+ms\n/);
  assert.equal(passing.stdout.includes(password), false);
});
