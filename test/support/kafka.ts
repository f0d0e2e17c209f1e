// A throwaway Apache Kafka broker for tests: Kafka's own jars from Maven Central (fetched by
// tools/kafka/fetch.sh into /var/cache/syncproof-ci), run with the machine's JDK in KRaft mode as one
// node that is broker and controller, on free loopback ports in a temp dir. A PLAINTEXT listener for
// the harness (a super user) and a SASL_PLAINTEXT listener (PLAIN) with users for the probe; ACLs on.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './net.ts';
import { makeTempDir, outputTail, removeTempDir, spawnGroup } from './process-group.ts';
import { needs } from './prerequisite.ts';

const FETCH = fileURLToPath(new URL('../../tools/kafka/fetch.sh', import.meta.url));
export const KAFKA_USERS = { admin: 'admin-secret-pw', monitor: 'monitor-pw' } as const;

export interface KafkaBroker {
  /** 127.0.0.1:PORT of the PLAINTEXT listener (the harness's, a super user). */
  readonly plaintext: string;
  /** 127.0.0.1:PORT of the SASL_PLAINTEXT listener (users of KAFKA_USERS). */
  readonly sasl: string;
  readonly version: string;
  log(): string;
  stop(): Promise<void>;
}


const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The jars' directory: fetched once per version into the machine's cache. */
async function kafkaLibs(): Promise<{ libs: string; version: string }> {
  const { stdout } = await run('bash', [FETCH], { timeout: 600_000 });
  const home = stdout.trim().split('\n').at(-1) ?? '';
  return { libs: join(home, 'libs'), version: /kafka-([\d.]+)$/.exec(home)?.[1] ?? 'unknown' };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

export async function startKafka(): Promise<KafkaBroker> {
  needs('java');
  needs('Kafka jars');
  const { libs, version } = await kafkaLibs();
  const [port, saslPort, controllerPort] = [await freePort(), await freePort(), await freePort()];
  const dir = makeTempDir('syncproof-kafka-');
  const users = Object.entries(KAFKA_USERS).map(([user, password]) => `user_${user}="${password}"`).join(' ');
  const config = join(dir, 'server.properties');
  writeFileSync(config, [
    'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
    'controller.listener.names=CONTROLLER', 'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${KAFKA_USERS.admin}" ${users};`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users=User:ANONYMOUS;User:admin',
    `log.dirs=${join(dir, 'data')}`, 'num.partitions=1', 'offsets.topic.replication.factor=1', 'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1', 'group.initial.rebalance.delay.ms=0',
    'share.coordinator.state.topic.replication.factor=1', 'share.coordinator.state.topic.min.isr=1', '',
  ].join('\n'));
  const java = ['-Xms128m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', '-cp', `${libs}/*`];
  await run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', randomUUID().replace(/-/g, '').slice(0, 22), '-c', config, '--ignore-formatted'], { timeout: 120_000 })
    .catch(async () => run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', 'syncproofTestClusterAA', '-c', config], { timeout: 120_000 }));
  const output = outputTail(32000);
  const broker = spawnGroup('nice', ['-n', '10', 'java', ...java, 'kafka.Kafka', config], { onOutput: output.keep });
  const stop = async (): Promise<void> => {
    await broker.kill();
    removeTempDir(dir);
  };
  const deadline = Date.now() + 120_000;
  while (!(await canConnect(port)) || !(await canConnect(saslPort))) {
    if (!broker.alive()) { await stop(); throw new Error(`the Kafka broker exited during start:\n${output.text()}`); }
    if (Date.now() > deadline) { await stop(); throw new Error(`the Kafka broker did not start:\n${output.text()}`); }
    await sleep(200);
  }
  return { plaintext: `127.0.0.1:${port}`, sasl: `127.0.0.1:${saslPort}`, version, log: output.text, stop };
}
