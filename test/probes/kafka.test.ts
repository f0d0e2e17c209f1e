import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Admin, Consumer, Producer, MessagesStreamModes, AclOperations, AclPermissionTypes, ResourcePatternTypes, ResourceTypes, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { kafka } from '../../src/probes/kafka/index.ts';
import { KAFKA_USERS, startKafka, type KafkaBroker } from '../support/kafka.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import { fallsTo, openHandles, probeCalls } from '../support/probe-calls.ts';

let broker: KafkaBroker;
let admin: Admin;
let producer: Producer<string, string, string, string>;
before(async () => {
  broker = await startKafka();
  admin = new Admin({ clientId: 'harness', bootstrapBrokers: [broker.plaintext] });
  producer = new Producer({ clientId: 'harness', bootstrapBrokers: [broker.plaintext], serializers: stringSerializers });
  await admin.createTopics({ topics: ['orders', 'invoices'], partitions: 3, replicas: 1 });
});
after(async () => {
  await Promise.allSettled([producer?.close(), admin?.close()]);
  await broker?.stop();
});

const { context, observe, observed, failure, holds } = probeCalls(kafka, 8000);

async function produce(topic: string, count: number): Promise<void> {
  await producer.send({ messages: Array.from({ length: count }, (_, i) => ({ topic, key: `k${i}`, value: `order ${i}` })) });
}

/** A worker of `group`: consumes and commits every message until it is stopped (it then leaves the group). */
async function worker(group: string, topic: string): Promise<{ consumed: () => number; stop: () => Promise<void> }> {
  const consumer = new Consumer({ clientId: `worker-${group}`, groupId: group, bootstrapBrokers: [broker.plaintext], deserializers: stringDeserializers, autocommit: false });
  const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.COMMITTED, fallbackMode: 'earliest' });
  let consumed = 0;
  const done = (async () => { for await (const message of stream) { await message.commit(); consumed++; } })().catch(() => {});
  return { consumed: () => consumed, stop: async () => { await stream.close(); await consumer.close(true); await done; } };
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const at = () => ({ brokers: [broker.plaintext] });

test('a reachable cluster: connected, its brokers; the default expect passes', async () => {
  const { observed: seen, summary } = await observed(at());
  assert.deepEqual(seen, { connected: true, brokers: 1 });
  assert.equal(summary, '1 broker');
  assert.ok(holds('connected', seen) && holds('brokers >= 1', seen));
});

test('a group that stops consuming while messages are produced: lag grows, members 0, Empty; a worker catches it up', { timeout: 120_000 }, async () => {
  const input = { ...at(), group: 'order-workers', topic: 'orders' };
  await produce('orders', 6);
  const first = await worker('order-workers', 'orders');
  await until('the worker consumed the backlog', async () => ((await observed(input)).observed.lag === 0));
  const consuming = await observed(input);
  assert.deepEqual(consuming.observed, { connected: true, brokers: 1, lag: 0, lagMax: 0, members: 1, state: 'Stable' });
  assert.ok(holds('lag < 3', consuming.observed) && holds('members > 0', consuming.observed));

  await first.stop();
  await produce('orders', 5);
  await until('the group is empty', async () => ((await observed(input)).observed.state === 'Empty'));
  const stopped = await observed(input);
  assert.equal(stopped.observed.lag, 5);
  assert.ok((stopped.observed.lagMax as number) >= 2 && (stopped.observed.lagMax as number) <= 5, JSON.stringify(stopped.observed));
  assert.equal(stopped.observed.members, 0);
  assert.match(stopped.summary, /^1 broker, group order-workers: Empty, 0 members, lag 5 \(max \d over 3 partitions\)$/);
  assert.equal(holds('lag < 3', stopped.observed), false);
  assert.equal(holds('members > 0', stopped.observed), false);
  await produce('orders', 4);
  assert.equal((await observed(input)).observed.lag, 9, 'lag grows while nobody consumes');

  const second = await worker('order-workers', 'orders');
  try {
    await until('the new worker caught up', async () => ((await observed(input)).observed.lag === 0));
    const caughtUp = await observed(input);
    assert.ok(holds('lag < 3', caughtUp.observed) && holds('state == "Stable"', caughtUp.observed), JSON.stringify(caughtUp.observed));
  } finally {
    await second.stop();
  }
});

test('a group that does not exist is Dead with no members; with a topic, its whole log is lag', async () => {
  await produce('invoices', 4);
  const withTopic = await observed({ ...at(), group: 'nobody', topic: 'invoices' });
  assert.deepEqual(withTopic.observed, { connected: true, brokers: 1, lag: 4, lagMax: withTopic.observed.lagMax, members: 0, state: 'Dead' });
  const withoutTopic = await observed({ ...at(), group: 'nobody' });
  assert.equal(withoutTopic.observed.lag, null);
  assert.match(withoutTopic.summary, /group nobody: Dead, 0 members, no committed offsets$/);
});

test('SASL: the least-privilege user of docs/probes/kafka.md observes the group; a wrong password or a missing ACL fails plainly', async (t) => {
  const docs = readFileSync(new URL('../../docs/probes/kafka.md', import.meta.url), 'utf8');
  const grants = [...docs.matchAll(/^kafka-acls\.sh .*--allow-principal (User:\S+) --operation (\w+) --(group|topic) (\S+)$/gm)];
  assert.equal(grants.length, 2, 'the ACL lines of the docs');
  const creations = grants.map(([, principal, operation, kind, name]) => ({
    resourceType: kind === 'group' ? ResourceTypes.GROUP : ResourceTypes.TOPIC, resourceName: name!, resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: principal!.replace('syncproof', 'monitor'), host: '*', operation: AclOperations[operation!.toUpperCase() as 'DESCRIBE'], permissionType: AclPermissionTypes.ALLOW,
  }));
  await admin.createAcls({ creations });
  t.after(() => admin.deleteAcls({ filters: creations.map((c) => ({ ...c, resourceName: c.resourceName, patternTypeFilter: c.resourcePatternType })) as never }).catch(() => {}));
  const sasl = { mechanism: 'PLAIN', username: 'monitor', password: KAFKA_USERS.monitor };
  await produce('orders', 1);
  const seen = await observed({ brokers: [broker.sasl], sasl, group: 'order-workers', topic: 'orders' });
  assert.equal(typeof seen.observed.lag, 'number');
  assert.equal(seen.observed.state, 'Empty');
  assert.equal(await failure({ brokers: [broker.sasl], sasl, group: 'other-group', topic: 'orders' }), 'GROUP_AUTHORIZATION_FAILED: Group authorization failed.');
  const wrong = 'wrong-Pw-zz9';
  const refused = await observe({ brokers: [broker.sasl], sasl: { ...sasl, password: wrong } });
  assert.deepEqual(refused, { ok: false, error: 'SASL authentication failed.' });
  assert.equal(kafka.target(kafka.spec.parse({ brokers: [broker.sasl], sasl: { ...sasl, password: wrong }, group: 'g', topic: 't' })), `kafka://${broker.sasl}/g/t`);
});

test('a refused broker fails at once, naming it', async () => {
  const port = await refusedPort();
  assert.equal(await failure({ brokers: [`127.0.0.1:${port}`] }), `connection refused (127.0.0.1:${port})`);
});

test('a silent peer fails as a timeout within timeout + 1s and leaves no socket or timer', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  for (const ctx of [context(400), context(400, AbortSignal.timeout(3000))]) {
    const before = openHandles();
    const started = Date.now();
    assert.equal(await failure({ brokers: [`127.0.0.1:${peer.port}`], group: 'g' }, ctx), 'timeout after 400ms');
    assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
    assert.ok(await fallsTo(() => peer.open(), 0), 'the connection was closed');
    assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
  }
});

test('a finished attempt leaves no socket or timer behind', async () => {
  const before = openHandles();
  await observed({ ...at(), group: 'order-workers', topic: 'orders' });
  assert.ok(await fallsTo(openHandles, before));
});

// Aborted before it starts: test/probes/contract.test.ts.
test('an attempt aborted while it starts opens no socket', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const controller = new AbortController();
  const pending = observe({ brokers: [`127.0.0.1:${peer.port}`] }, context(1000, controller.signal));
  controller.abort();
  assert.deepEqual(await pending, { ok: false, error: 'timeout after 1s' });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(peer.accepted(), 0);
});

test('the spec: brokers required; topic needs a group; SASL mechanisms Kafka offers', () => {
  for (const bad of [{}, { brokers: [] }, { brokers: ['kafka://x:9092'] }, { brokers: ['x'], topic: 't' }, { brokers: ['x'], group: 'g', topic: 'no spaces' },
    { brokers: ['x'], sasl: { mechanism: 'GSSAPI', username: 'u', password: 'p' } }, { brokers: ['x'], bogus: 1 }]) {
    assert.equal(kafka.spec.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(kafka.target(kafka.spec.parse({ brokers: ['[::1]:9093', 'b1'], tls: {}, group: 'g' })), 'kafka+ssl://[::1]:9093,b1:9092/g');
  assert.deepEqual(kafka.defaultExpect, ['connected']);
});

test('through the CLI: a group nobody consumes holds back the sync (exit 1); with a worker it passes', { timeout: 120_000 }, async (t) => {
  await produce('invoices', 3);
  const files = tempFiles({ 'suite.yaml': [
    'suite: billing', 'defaults: { within: 0s, timeout: 8s }', 'probes:',
    `  - { name: invoice workers consuming, type: kafka, brokers: ["${broker.sasl}"], group: invoicers, topic: invoices,`,
    '      sasl: { mechanism: PLAIN, username: admin, password: "${env:KAFKA_PASSWORD}" }, expect: [members > 0, lag < 2] }',
  ].join('\n') });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', ''];
  const env = { NO_COLOR: '1', KAFKA_PASSWORD: KAFKA_USERS.admin };
  const failing = await runCli(args, { env });
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /\n {2}✗ invoice workers consuming: members = 0 \(expected > 0\)/);
  const running = await worker('invoicers', 'invoices');
  t.after(() => running.stop());
  await until('the worker consumed the invoices', async () => ((await observed({ ...at(), group: 'invoicers', topic: 'invoices' })).observed.lag === 0));
  const passing = await runCli(args, { env });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /\n {2}✓ invoice workers consuming: 1 broker, group invoicers: Stable, 1 member, lag 0 \(max 0 over 3 partitions\) in \d+ms\n/);
  assert.equal(passing.stdout.includes(KAFKA_USERS.admin), false);
});
