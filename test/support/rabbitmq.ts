// A throwaway RabbitMQ node for tests (Debian's rabbitmq-server): its own node name, Mnesia and log
// dirs, Erlang cookie (in a private HOME), AMQP and distribution ports, and its own EPMD on a private
// port, so it never meets another run's node. No plugins. The harness logs in as an administrator.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { freePort } from './net.ts';
import { makeTempDir, outputTail, removeTempDir, spawnGroup } from './process-group.ts';
import type { KeyPair } from './certs.ts';
import { needs } from './prerequisite.ts';

// Debian installs the broker's own scripts (which run as the calling user) under its version's directory.
const LIB = '/usr/lib/rabbitmq/lib';
const INSTALLED = (existsSync(LIB) ? readdirSync(LIB) : []).find((name) => name.startsWith('rabbitmq_server-')) ?? 'rabbitmq_server-missing';
const SBIN = join(LIB, INSTALLED, 'sbin');
/** The installed broker's version, e.g. `3.10.8`. */
export const RABBIT_VERSION = INSTALLED.slice('rabbitmq_server-'.length);
export const RABBIT_ADMIN = { user: 'admin', password: 'harness-admin-pw' };

export interface RabbitServer {
  readonly port: number;
  /** The amqps:// listener's port (with `tls`). */
  readonly tlsPort?: number;
  /** amqp://USER@127.0.0.1:PORT/VHOST-ENCODED, the admin without a password by default. */
  url(user?: string, vhost?: string): string;
  /** amqp://admin:PASSWORD@… for the harness's own connections. */
  readonly adminUrl: string;
  /** Runs rabbitmqctl against this node; resolves with its stdout. */
  ctl(...args: string[]): Promise<string>;
  /** A connected admin connection; the caller closes it. */
  connect(): Promise<amqp.ChannelModel>;
  log(): string;
  stop(): Promise<void>;
}


const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `tls`: also listen for amqps:// on `tlsPort` with this certificate. */
export async function startRabbitMq(options: { tls?: KeyPair } = {}): Promise<RabbitServer> {
  needs('rabbitmq-server');
  const [port, distPort, epmdPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dir = makeTempDir('syncproof-rabbitmq-');
  const tlsLines: string[] = [];
  if (options.tls) {
    writeFileSync(join(dir, 'server.pem'), options.tls.cert);
    writeFileSync(join(dir, 'server.key'), options.tls.key);
    tlsLines.push(`listeners.ssl.1 = 127.0.0.1:${tlsPort}`, `ssl_options.certfile = ${join(dir, 'server.pem')}`,
      `ssl_options.keyfile = ${join(dir, 'server.key')}`, 'ssl_options.verify = verify_none', 'ssl_options.fail_if_no_peer_cert = false');
  }
  writeFileSync(join(dir, '.erlang.cookie'), randomBytes(20).toString('hex'));
  chmodSync(join(dir, '.erlang.cookie'), 0o400);
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.1 = 127.0.0.1:${port}`,
    `default_user = ${RABBIT_ADMIN.user}`, `default_pass = ${RABBIT_ADMIN.password}`,
    'default_user_tags.administrator = true', 'loopback_users = none', ...tlsLines, '',
  ].join('\n'));
  const node = `syncproof-${port}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8',
    ERL_EPMD_PORT: String(epmdPort), ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_CONF_ENV_FILE: join(dir, 'no-env-file'),
    RABBITMQ_NODENAME: node, RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1', RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort), RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'), RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'), RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'), RABBITMQ_PID_FILE: join(dir, 'pid'), RABBITMQ_LOGS: '-',
  };
  const output = outputTail(16000);
  // Our own EPMD, in the foreground: erl would otherwise start a daemon that outlives the node.
  const epmd = spawnGroup('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { env, onOutput: output.keep });
  await sleep(200);
  const server = spawnGroup(join(SBIN, 'rabbitmq-server'), [], { env, onOutput: output.keep });
  const adminUrl = `amqp://${RABBIT_ADMIN.user}:${RABBIT_ADMIN.password}@127.0.0.1:${port}/?heartbeat=0`;
  const connect = () => amqp.connect(adminUrl, { timeout: 5000 });
  const stop = async (): Promise<void> => {
    await server.kill();
    await epmd.kill();
    removeTempDir(dir);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.child.exitCode !== null) { await stop(); throw new Error(`rabbitmq-server exited during start:\n${output.text()}`); }
    try {
      const connection = await connect();
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) { await stop(); throw new Error(`rabbitmq-server did not start: ${String(error)}\n${output.text()}`); }
      await sleep(250);
    }
  }
  return {
    port,
    ...(options.tls ? { tlsPort } : {}),
    adminUrl,
    url: (user = RABBIT_ADMIN.user, vhost = '/') => `amqp://${user}@127.0.0.1:${port}/${encodeURIComponent(vhost)}`,
    ctl: async (...args) => (await run(join(SBIN, 'rabbitmqctl'), ['-n', node, ...args], { env, timeout: 60_000 })).stdout,
    connect,
    log: output.text,
    stop,
  };
}
