// Throwaway Redis servers for tests: one server, or a primary with a replica, on free loopback ports
// in temp dirs, plus fault helpers. Each server has an `admin` ACL user the harness talks through,
// so tests may change the default user and add least-privilege users freely.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './net.ts';
import { makeTempDir, outputTail, removeTempDir, spawnGroup } from './process-group.ts';
import { needs } from './prerequisite.ts';

const ADMIN = { username: 'admin', password: 'harness-admin-pw' };

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate (only with `tls: true`). */
  readonly caPem?: string;
  /** redis://127.0.0.1:PORT/DB (rediss:// with `tls: true`), no credentials. */
  url(db?: number): string;
  /** Runs one command as the harness's admin user on a fresh connection. */
  admin(...args: (string | number)[]): Promise<unknown>;
  /** A connected admin client for longer conversations (MONITOR); the caller disconnects it. */
  adminClient(): Promise<Redis>;
  /** Freeze the process (SIGSTOP): connections stay open and nothing answers; a replica's link stays up and its lag grows. */
  pause(): void;
  resume(): void;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface RedisPair {
  readonly primary: RedisServer;
  readonly replica: RedisServer;
  /** Resolves once the replica reports master_link_status:up. */
  waitForLink(): Promise<void>;
  stop(): Promise<void>;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RedisServerOptions {
  /** More redis-server options, e.g. `['--replicaof', '127.0.0.1', '6380']`. */
  readonly args?: readonly string[];
  /** Serve only TLS, with a certificate for `localhost` and 127.0.0.1 signed by a fresh CA (`caPem`). */
  readonly tls?: boolean;
}

const run = promisify(execFile);

async function makeCertificates(dir: string): Promise<{ args: string[]; caPem: string }> {
  const ca = join(dir, 'ca'), server = join(dir, 'server');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=syncproof test CA', '-keyout', `${ca}.key`, '-out', `${ca}.crt`]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', `${server}.key`, '-out', `${server}.csr`]);
  writeFileSync(`${server}.ext`, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', `${server}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${server}.ext`, '-out', `${server}.crt`]);
  return {
    args: ['--tls-cert-file', `${server}.crt`, '--tls-key-file', `${server}.key`, '--tls-ca-cert-file', `${ca}.crt`, '--tls-auth-clients', 'no'],
    caPem: readFileSync(`${ca}.crt`, 'utf8'),
  };
}

/** One throwaway server. Stop it in `t.after`/`after`, also when the test fails. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  needs('redis-server');
  const host = '127.0.0.1';
  const port = await freePort();
  const dir = makeTempDir('syncproof-redis-');
  const certs = options.tls ? await makeCertificates(dir) : undefined;
  const listen = certs ? ['--port', '0', '--tls-port', String(port), ...certs.args] : ['--port', String(port)];
  const output = outputTail(8000);
  const server = spawnGroup('redis-server', [
    ...listen, '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no',
    '--logfile', '', '--protected-mode', 'no', '--repl-diskless-sync-delay', '0', '--repl-ping-replica-period', '1',
    '--user', ADMIN.username, 'on', `>${ADMIN.password}`, '~*', '&*', '+@all',
    ...(options.args ?? []),
  ], { onOutput: output.keep });

  const adminClient = async (): Promise<Redis> => {
    const tls = certs ? { tls: { ca: certs.caPem, servername: 'localhost' } } : {};
    const client = new Redis({ host, port, ...ADMIN, ...tls, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, protocol: 2, disableClientInfo: true });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  const admin = async (...args: (string | number)[]): Promise<unknown> => {
    const client = await adminClient();
    try {
      const [name, ...rest] = args.map(String);
      return await client.call(name ?? 'PING', ...rest);
    } finally {
      client.disconnect();
    }
  };
  const stop = async (): Promise<void> => {
    await server.kill();
    removeTempDir(dir);
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!server.alive()) throw new Error(`redis-server exited during start:\n${output.text()}`);
    try {
      await admin('PING');
      break;
    } catch (error) {
      if (Date.now() > deadline) { await stop(); throw new Error(`redis-server did not start: ${String(error)}\n${output.text()}`); }
      await sleep(50);
    }
  }
  const scheme = certs ? 'rediss' : 'redis';
  return {
    host, port, url: (db = 0) => `${scheme}://${host}:${port}/${db}`, admin, adminClient, log: output.text, stop,
    pause: () => process.kill(server.child.pid!, 'SIGSTOP'),
    resume: () => process.kill(server.child.pid!, 'SIGCONT'),
    ...(certs ? { caPem: certs.caPem } : {}),
  };
}

/** A primary and a replica of it, linked. Stopping the primary (`primary.stop()`) takes the replica's link down. */
export async function startRedisPair(): Promise<RedisPair> {
  const primary = await startRedis();
  let replica: RedisServer;
  try {
    replica = await startRedis({ args: ['--replicaof', primary.host, String(primary.port)] });
  } catch (error) {
    await primary.stop();
    throw error;
  }
  const waitForLink = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const info = String(await replica.admin('INFO', 'replication'));
      const primaryInfo = primary.admin('INFO', 'replication').then(String).catch(() => '');
      // state=online: the primary counts a replica still in its full sync (wait_bgsave, send_bulk) as connected
      // for a moment after the replica already reports its link up; the probe counts only online ones.
      const primarySide = await primaryInfo;
      if (info.includes('master_link_status:up') && primarySide.includes('connected_slaves:1') && primarySide.includes('state=online')) return;
      if (Date.now() > deadline) throw new Error(`replica did not link up:\n${info}\n${replica.log()}`);
      await sleep(50);
    }
  };
  await waitForLink();
  return { primary, replica, waitForLink, stop: async () => { await replica.stop(); await primary.stop(); } };
}

/** Polls until the replica sees its link down (after `primary.stop()`). */
export async function waitForLinkDown(replica: RedisServer): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const info = String(await replica.admin('INFO', 'replication'));
    if (info.includes('master_link_status:down')) return;
    if (Date.now() > deadline) throw new Error(`replica link still up:\n${info}`);
    await sleep(50);
  }
}

