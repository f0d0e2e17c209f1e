// Contender (a), the floor: the same operations as syncproof's probes with the same drivers and a fresh
// connection per probe, at the same concurrency, and nothing else (no config, no assertions, no report).
// Usage: node bench/raw-client.ts JOBS.json   (written by bench/run.ts; exit 0 when every probe passed)
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Resolver } from 'node:dns/promises';
import type { Kind } from './workload.ts';
import type { Targets } from './targets.ts';
import { loadBuiltins, tuneV8ForShortRun } from '../src/process/v8-tuning.ts';
import { DRIVER_BUILTINS } from '../src/net/driver-builtins.ts';
import { STATE_SQL } from '../src/probes/postgres/state.ts';
import { IDENTITY_SQL, MARIADB_REPLICA_STATUS_SQL, READ_ONLY_SQL, REPLICAS_SQL } from '../src/probes/mysql/state.ts';

// The same V8 settings as `syncproof run`: the floor is these operations in this runtime as syncproof configures it.
tuneV8ForShortRun('run');

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { jobs: Kind[]; concurrency: number; targets: Omit<Targets, 'stop'>; dnsName: string };
const { targets: t } = input;

// The statements syncproof's postgres and mysql probes send to a primary by default, taken from the probes
// themselves so the floor cannot drift from them.
const MY_STATEMENTS = [IDENTITY_SQL, READ_ONLY_SQL, MARIADB_REPLICA_STATUS_SQL, REPLICAS_SQL];

// Loaded before the clock of any probe starts, and only the ones the jobs need, as syncproof does, their
// builtins first with Node's code cache (src/net/driver-builtins.ts), as syncproof's probe types do.
const used = new Set(input.jobs);
const load = async <T>(kind: Kind, builtins: readonly string[], driver: () => Promise<T>): Promise<T> => {
  if (!used.has(kind)) return undefined!;
  loadBuiltins(builtins);
  return driver();
};
const drivers = {
  undici: await load('http', DRIVER_BUILTINS.undici, () => import('undici')),
  pg: await load('postgres', DRIVER_BUILTINS.pg, async () => (await import('pg')).default),
  mysql: await load('mysql', DRIVER_BUILTINS.mysql2, () => import('mysql2/promise')),
  redis: await load('redis', DRIVER_BUILTINS.ioredis, () => import('ioredis')),
};

async function probe(kind: Kind): Promise<boolean> {
  switch (kind) {
    case 'http': {
      const agent = new drivers.undici.Agent();
      try {
        const res = await drivers.undici.request(t.http.url, { dispatcher: agent });
        await res.body.text();
        return res.statusCode >= 200 && res.statusCode < 300;
      } finally {
        await agent.destroy();
      }
    }
    case 'tcp': return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: t.tcp.port });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    case 'dns': {
      const resolver = new Resolver({ timeout: 5000, tries: 1 });
      resolver.setServers([t.dns.host]);
      return (await resolver.resolve4(input.dnsName)).length > 0;
    }
    case 'postgres': {
      const client = new drivers.pg.Client({ host: '127.0.0.1', port: t.postgres.port, user: t.postgres.user, database: t.postgres.database });
      await client.connect();
      try {
        await client.query(STATE_SQL);
        return true;
      } finally {
        await client.end();
      }
    }
    case 'mysql': {
      const connection = await drivers.mysql.createConnection({ host: '127.0.0.1', port: t.mysql.port, user: t.mysql.user, password: t.mysql.password, database: t.mysql.database });
      try {
        for (const sql of MY_STATEMENTS) await connection.query(sql);
        return true;
      } finally {
        await connection.end();
      }
    }
    case 'redis': {
      const client = new drivers.redis.Redis({ port: t.redis.port, host: '127.0.0.1', lazyConnect: true, protocol: 2, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null, disableClientInfo: true });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.call('INFO', 'server');
        await client.call('INFO', 'replication');
        return true;
      } finally {
        client.disconnect();
      }
    }
  }
}

let next = 0;
let failed = 0;
await Promise.all(Array.from({ length: input.concurrency }, async () => {
  while (next < input.jobs.length) {
    const kind = input.jobs[next++]!;
    const ok = await probe(kind).catch(() => false);
    if (!ok) failed++;
  }
}));
process.stdout.write(`${input.jobs.length - failed} of ${input.jobs.length} passed\n`);
process.exitCode = failed ? 1 : 0;
