// Throwaway PostgreSQL 15 servers for tests: one server, or a primary with a streaming replica,
// on free loopback ports in temp dirs, run as the `postgres` OS user, plus fault helpers.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chownSync, readFileSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

export interface PgServer {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** PEM of the CA that signed the server certificate (only with `tls: true`). */
  readonly caPem?: string;
  /** postgres://user@127.0.0.1:port/db (superuser `postgres`, trusted on loopback). */
  url(user?: string, database?: string): string;
  /** Runs one statement as the superuser on a fresh connection. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface PgServerOptions {
  /** Every role but `postgres` must log in over TCP with a scram-sha-256 password. */
  passwordAuth?: boolean;
  /** Serve TLS with a certificate for `localhost` and 127.0.0.1 signed by a fresh CA (`caPem`). */
  tls?: boolean;
}

export interface PgPair {
  readonly primary: PgServer;
  readonly replica: PgServer;
  /** Stop replaying WAL on the replica (it keeps receiving). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** The primary refuses writes by its own settings (`default_transaction_read_only = on`). */
  makeReadOnly(): Promise<void>;
  makeWritable(): Promise<void>;
  /** COMMIT on the primary waits for a synchronous standby that never comes. */
  hangCommits(): Promise<void>;
  releaseCommits(): Promise<void>;
  stop(): Promise<void>;
}

const pgUser = (() => {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no `postgres` OS user');
  return { uid: Number(uid), gid: Number(gid) };
})();

const asPostgres = { uid: pgUser.uid, gid: pgUser.gid, env: { PATH: `${BIN}:/usr/bin:/bin`, LC_ALL: 'C.UTF-8' } };

// A crashed test must not leave servers behind: kill every process group we started on exit.
const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const pid of liveGroups) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

function makeDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chownSync(dir, pgUser.uid, pgUser.gid);
  liveDirs.add(dir);
  return dir;
}

async function initCluster(root: string, options: PgServerOptions): Promise<string> {
  const dataDir = join(root, 'data');
  await run(`${BIN}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], asPostgres);
  const tcpAuth = options.passwordAuth ? 'scram-sha-256' : 'trust';
  writeFileSync(join(dataDir, 'pg_hba.conf'), [
    'local all all trust',
    'host replication all 127.0.0.1/32 trust',
    'host all postgres 127.0.0.1/32 trust',
    `host all all 127.0.0.1/32 ${tcpAuth}`,
    '',
  ].join('\n'));
  if (options.tls) await makeCertificates(root, dataDir);
  return dataDir;
}

async function makeCertificates(root: string, dataDir: string): Promise<void> {
  const ca = join(root, 'ca'), server = join(dataDir, 'server');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=syncproof test CA',
    '-keyout', `${ca}.key`, '-out', `${ca}.crt`]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', `${server}.key`, '-out', `${server}.csr`]);
  writeFileSync(`${server}.ext`, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', `${server}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-extfile', `${server}.ext`, '-out', `${server}.crt`]);
  for (const f of [`${server}.key`, `${server}.crt`]) chownSync(f, pgUser.uid, pgUser.gid);
  await run('chmod', ['600', `${server}.key`]);
  appendFileSync(join(dataDir, 'postgresql.conf'), `ssl = on\nssl_cert_file = '${server}.crt'\nssl_key_file = '${server}.key'\n`);
}

async function launch(root: string, dataDir: string, caPem?: string): Promise<PgServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const child: ChildProcess = spawn(`${BIN}/postgres`, [
    '-D', dataDir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', `unix_socket_directories=${root}`,
    '-c', 'fsync=off', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=off',
    '-c', 'wal_receiver_status_interval=1s', '-c', 'max_connections=50', '-c', 'shared_buffers=16MB',
  ], { ...asPostgres, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start postgres');
  liveGroups.add(pid);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { liveGroups.delete(pid); resolve(); }));

  const url = (user = 'postgres', database = 'postgres') => `postgres://${user}@${host}:${port}/${database}`;
  const query = async (sql: string, params?: unknown[]) => {
    const client = new pg.Client({ host, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  const stop = async () => {
    if (!liveGroups.has(pid)) return;
    try { process.kill(pid, 'SIGINT'); } catch { /* gone */ } // fast shutdown
    const killer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!liveGroups.has(pid)) throw new Error(`postgres exited during start:\n${stderr}`);
    try {
      await query('SELECT 1');
      break;
    } catch (error) {
      if (Date.now() > deadline) { await stop(); throw new Error(`postgres did not start: ${String(error)}\n${stderr}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { host, port, dataDir, url, query, stop, ...(caPem ? { caPem } : {}) };
}

/** One throwaway server. Call `stop()` in `t.after`/`after`, also when the test fails. */
export async function startPostgres(options: PgServerOptions = {}): Promise<PgServer> {
  needs('postgres 15');
  const root = makeDir('syncproof-pg-');
  const dataDir = await initCluster(root, options);
  const caPem = options.tls ? readFileSync(join(root, 'ca.crt'), 'utf8') : undefined;
  const server = await launch(root, dataDir, caPem);
  return { ...server, stop: async () => { await server.stop(); rmSync(root, { recursive: true, force: true }); liveDirs.delete(root); } };
}

async function setAndReload(server: PgServer, setting: string): Promise<void> {
  await server.query(`ALTER SYSTEM ${setting}`);
  await server.query('SELECT pg_reload_conf()');
  await new Promise((r) => setTimeout(r, 200)); // backends pick up SIGHUP asynchronously
}

/** A primary and a streaming replica (pg_basebackup -R), the replica connected before it returns. */
export async function startPostgresPair(options: PgServerOptions = {}): Promise<PgPair> {
  const primary = await startPostgres(options);
  const root = makeDir('syncproof-pg-replica-');
  const dataDir = join(root, 'data');
  let replica: PgServer;
  try {
    await run(`${BIN}/pg_basebackup`, ['-h', primary.host, '-p', String(primary.port), '-U', 'postgres', '-D', dataDir,
      '-R', '-X', 'stream', '--no-sync', '-c', 'fast'], asPostgres);
    appendFileSync(join(dataDir, 'postgresql.auto.conf'), "cluster_name = 'replica1'\n");
    const started = await launch(root, dataDir, primary.caPem);
    replica = { ...started, stop: async () => { await started.stop(); rmSync(root, { recursive: true, force: true }); liveDirs.delete(root); } };
    await waitFor(async () => (await primary.query("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'")).length > 0, 'replica streaming');
  } catch (error) {
    await primary.stop();
    throw error;
  }
  return {
    primary,
    replica,
    pauseReplay: async () => { await replica.query('SELECT pg_wal_replay_pause()'); },
    resumeReplay: async () => { await replica.query('SELECT pg_wal_replay_resume()'); },
    makeReadOnly: () => setAndReload(primary, 'SET default_transaction_read_only = on'),
    makeWritable: () => setAndReload(primary, 'RESET default_transaction_read_only'),
    hangCommits: () => setAndReload(primary, "SET synchronous_standby_names = 'missing_standby'"),
    releaseCommits: () => setAndReload(primary, 'RESET synchronous_standby_names'),
    stop: async () => { await Promise.all([replica.stop(), primary.stop()]); },
  };
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Commits on the primary and waits until the replica has replayed it, so that the replica's
 * pg_last_xact_replay_timestamp() is set (a fresh replica that replayed nothing has none, and its lag is null).
 */
export async function replayedOneTransaction(pair: PgPair): Promise<void> {
  await pair.primary.query('CREATE TABLE IF NOT EXISTS ticks (at timestamptz)');
  await pair.primary.query('INSERT INTO ticks VALUES (now())');
  await waitFor(async () => {
    const [r] = await pair.replica.query(`SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
      AND pg_last_xact_replay_timestamp() IS NOT NULL AS replayed`);
    return r?.['replayed'] === true;
  }, 'the replica to replay a transaction');
}
