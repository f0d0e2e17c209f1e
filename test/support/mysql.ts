// Throwaway MariaDB servers for tests: one server, or a primary with a replica (GTID replication),
// on free loopback ports in temp dirs, run as the `mysql` OS user, plus fault helpers.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chownSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

const run = promisify(execFile);

/** The least-privileged monitoring user the probe logs in as (no SUPER, no READ ONLY ADMIN). */
export const MONITOR = { user: 'monitor', password: 'monitor-Pa55-s3cret' } as const;
export const DATABASE = 'app';
const REPLICATION = { user: 'repl', password: 'repl-Pa55' } as const;

export interface MyServer {
  readonly host: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate (only with `tls: true`). */
  readonly caPem?: string;
  /** mysql://user@127.0.0.1:port/db, without a password. */
  url(user?: string, database?: string): string;
  /** Runs one statement as root over the unix socket, on a fresh connection. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Holds a root session open (e.g. for a lock); closed by `release` or `stop`. */
  session(): Promise<mysql.Connection>;
  stop(): Promise<void>;
}

export interface MyServerOptions {
  serverId?: number;
  readOnly?: boolean;
  /** Serve TLS with a certificate for `localhost` and 127.0.0.1 signed by a fresh CA (`caPem`). */
  tls?: boolean;
}

export interface MyPair {
  readonly primary: MyServer;
  readonly replica: MyServer;
  stopSqlThread(): Promise<void>;
  stopIoThread(): Promise<void>;
  startReplication(): Promise<void>;
  /** Delayed replication (MASTER_DELAY): the replica applies each event this long after the primary wrote it. */
  delayReplica(seconds: number): Promise<void>;
  /** `SET GLOBAL read_only`: binds the monitor user, who has no SUPER/READ ONLY ADMIN. */
  setReadOnly(on: boolean): Promise<void>;
  /** Blocks every write on the primary (FLUSH TABLES WITH READ LOCK) until the returned release. */
  blockWrites(): Promise<() => Promise<void>>;
  /** Waits until the replica has applied everything the primary has written. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const mysqlUser = (() => {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('mysql:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no `mysql` OS user');
  return { uid: Number(uid), gid: Number(gid) };
})();

// A crashed test must not leave servers behind: kill every process group we started on exit.
const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const pid of liveGroups) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

async function makeCertificates(root: string): Promise<{ args: string[]; caPem: string }> {
  const ca = join(root, 'ca'), server = join(root, 'server');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=syncproof test CA',
    '-keyout', `${ca}.key`, '-out', `${ca}.crt`]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', `${server}.key`, '-out', `${server}.csr`]);
  writeFileSync(`${server}.ext`, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', `${server}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-extfile', `${server}.ext`, '-out', `${server}.crt`]);
  for (const f of [`${server}.key`, `${server}.crt`, `${ca}.crt`]) chownSync(f, mysqlUser.uid, mysqlUser.gid);
  return { args: [`--ssl-ca=${ca}.crt`, `--ssl-cert=${server}.crt`, `--ssl-key=${server}.key`], caPem: readFileSync(`${ca}.crt`, 'utf8') };
}

/** One throwaway server. Call `stop()` in `t.after`/`after`, also when the test fails. */
export async function startMariaDb(options: MyServerOptions = {}): Promise<MyServer> {
  needs('mariadbd');
  const root = mkdtempSync(join(tmpdir(), 'syncproof-mariadb-'));
  chownSync(root, mysqlUser.uid, mysqlUser.gid);
  liveDirs.add(root);
  const cleanup = () => { rmSync(root, { recursive: true, force: true }); liveDirs.delete(root); };
  try {
    const dataDir = join(root, 'data');
    // Bootstraps running at once collide on temporary table names in a shared /tmp: each gets its own.
    const small = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=16M', `--tmpdir=${root}`];
    await run('mariadb-install-db', ['--no-defaults', '--user=mysql', `--datadir=${dataDir}`, '--auth-root-authentication-method=socket',
      '--skip-test-db', '--skip-name-resolve', ...small]);
    const tls = options.tls ? await makeCertificates(root) : undefined;
    // The free port may be taken by someone else before mariadbd binds it: try another.
    let server: MyServer | undefined;
    for (let tries = 1; !server; tries++) {
      server = await launch(root, dataDir, options, [...small, ...(tls?.args ?? [])], tls?.caPem)
        .catch((error: unknown) => { if (tries >= 3 || !/Address already in use|Do you already have another/.test(String(error))) throw error; return undefined; });
    }
    return { ...server, stop: async () => { await server.stop(); cleanup(); } };
  } catch (error) {
    cleanup();
    throw error;
  }
}

async function launch(root: string, dataDir: string, options: MyServerOptions, extra: string[], caPem?: string): Promise<MyServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const socketPath = join(root, 'mysqld.sock');
  const child: ChildProcess = spawn('/usr/sbin/mariadbd', [
    '--no-defaults', '--user=mysql', `--datadir=${dataDir}`, `--socket=${socketPath}`, `--pid-file=${join(root, 'mysqld.pid')}`,
    `--port=${port}`, `--bind-address=${host}`, '--skip-name-resolve', '--log-error=' + join(root, 'error.log'),
    `--server-id=${options.serverId ?? 1}`, `--log-bin=${join(root, 'binlog')}`, `--relay-log=${join(root, 'relay')}`,
    '--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0', '--innodb-doublewrite=0', '--max-connections=40',
    '--slave-net-timeout=5', ...(options.readOnly ? ['--read-only'] : []), ...extra,
  ], { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start mariadbd');
  liveGroups.add(pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { liveGroups.delete(pid); resolve(); }));
  const errorLog = () => { try { return readFileSync(join(root, 'error.log'), 'utf8').slice(-3000); } catch { return ''; } };

  const session = () => mysql.createConnection({ socketPath, user: 'root', multipleStatements: true });
  const query = async (sql: string, params?: unknown[]) => {
    const connection = await session();
    try {
      const [rows] = await connection.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  };
  const stop = async () => {
    if (!liveGroups.has(pid)) return;
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    const killer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!liveGroups.has(pid)) throw new Error(`mariadbd exited during start:\n${errorLog()}`);
    try {
      await query('SELECT 1');
      break;
    } catch (error) {
      if (Date.now() > deadline) { await stop(); throw new Error(`mariadbd did not start: ${String(error)}\n${errorLog()}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const url = (user: string = MONITOR.user, database: string = DATABASE) => `mysql://${user}@${host}:${port}/${database}`;
  return { host, port, url, query, session, stop, ...(caPem ? { caPem } : {}) };
}

/**
 * The database `app` (table `items`) and the users: `monitor` with the least privileges the probe
 * needs (as docs/probes/mysql.md lists them), `repl` for the replica.
 */
export async function provision(server: MyServer): Promise<void> {
  await server.query([
    `CREATE DATABASE ${DATABASE}`,
    `CREATE TABLE ${DATABASE}.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2), big BIGINT, huge DECIMAL(30,0)) ENGINE=InnoDB`,
    `INSERT INTO ${DATABASE}.items VALUES (1, 'apple', 1.50, 9007199254740993, 123456789012345678901234567890), (2, 'pear', 2.25, 42, 7)`,
    `CREATE USER '${MONITOR.user}'@'%' IDENTIFIED BY '${MONITOR.password}'`,
    `GRANT SELECT, CREATE, INSERT, UPDATE ON ${DATABASE}.* TO '${MONITOR.user}'@'%'`,
    `GRANT SLAVE MONITOR ON *.* TO '${MONITOR.user}'@'%'`,
    `CREATE USER '${REPLICATION.user}'@'%' IDENTIFIED BY '${REPLICATION.password}'`,
    `GRANT REPLICATION SLAVE ON *.* TO '${REPLICATION.user}'@'%'`,
  ].join(';\n'));
}

/** A provisioned primary and a read-only replica replicating from it, caught up before it returns. */
export async function startMariaDbPair(options: Omit<MyServerOptions, 'serverId' | 'readOnly'> = {}): Promise<MyPair> {
  const started = await Promise.allSettled([
    startMariaDb({ ...options, serverId: 1 }),
    startMariaDb({ ...options, serverId: 2, readOnly: true }),
  ]);
  const [primary, replica] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  if (!primary || !replica) {
    await Promise.all([primary?.stop(), replica?.stop()]);
    throw started.find((s) => s.status === 'rejected')?.reason;
  }
  const held = new Set<mysql.Connection>();
  const pair: MyPair = {
    primary,
    replica,
    stopSqlThread: async () => { await replica.query('STOP SLAVE SQL_THREAD'); },
    stopIoThread: async () => { await replica.query('STOP SLAVE IO_THREAD'); },
    startReplication: async () => { await replica.query('START SLAVE'); },
    delayReplica: async (seconds) => { await replica.query(`STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = ${seconds}; START SLAVE`); },
    setReadOnly: async (on) => { await primary.query(`SET GLOBAL read_only = ${on ? 'ON' : 'OFF'}`); },
    blockWrites: async () => {
      const connection = await primary.session();
      held.add(connection);
      await connection.query('FLUSH TABLES WITH READ LOCK');
      return async () => { held.delete(connection); await connection.end(); };
    },
    caughtUp: async () => {
      const [{ pos }] = (await primary.query('SELECT @@gtid_binlog_pos AS pos')) as [{ pos: string }];
      await waitFor(async () => {
        const [row] = await replica.query('SELECT @@gtid_slave_pos AS pos');
        return row?.pos === pos;
      }, `replica at ${pos}`);
    },
    stop: async () => {
      await Promise.all([...held].map((c) => c.end().catch(() => c.destroy())));
      await Promise.all([replica.stop(), primary.stop()]);
    },
  };
  try {
    await provision(primary);
    await replica.query(`CHANGE MASTER TO MASTER_HOST='${primary.host}', MASTER_PORT=${primary.port}, MASTER_USER='${REPLICATION.user}', ` +
      `MASTER_PASSWORD='${REPLICATION.password}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=0.5`);
    await replica.query('START SLAVE');
    await pair.caughtUp();
    await waitFor(async () => {
      const [row] = await primary.query("SHOW GLOBAL STATUS LIKE 'Slaves_connected'");
      return Number(row?.Value) >= 1;
    }, 'replica connected');
  } catch (error) {
    await pair.stop();
    throw error;
  }
  return pair;
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
