// Hostile-response matrix, data-layer rows: what a PostgreSQL, MariaDB or Redis server sends back is
// untrusted input. Minimal protocol peers (test/support/hostile-peers.ts) give the replies no real server
// sends (a GSSAPI request after startup, 65535 columns, a 2 GiB row, a 1 TB bulk, a 16 MiB packet without
// end); real servers give the rest (3 million rows, a jsonb value 2,000 levels deep, EVAL_RO of an endless
// script, a superuser's query). Each row runs the real CLI with a second probe of the same engine against
// a real server, and checks the run guarantees, that second probe's result, and the peak RSS against the
// chart's 256Mi memory limit.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startMariaDb, provision, MONITOR } from '../support/mysql.ts';
import { startPostgres } from '../support/postgres.ts';
import { startRedis } from '../support/redis.ts';
import { hostileMysql, hostilePostgres, hostileRedis, type Peer } from '../support/hostile-peers.ts';
import { assertRunGuarantees, noteSinkRow, row, runFault, STARTUP_MS, type FaultRun, type FaultSpec, type ProbeExpectation } from './harness.ts';

/** The chart's memory limit (charts/syncproof values: resources.limits.memory 256Mi). */
const CHART_LIMIT_KB = 256 * 1024;
const ONCE = 'defaults:\n  within: 0s\n  timeout: 3s\n';
const WITHIN = 3000 + STARTUP_MS + 2000;

interface Row {
  readonly fault: string;
  readonly probe: string;
  readonly code: 0 | 1;
  readonly expected: ProbeExpectation;
}

/** Runs one suite, then checks the guarantees, the hostile probe's row, the intact probe and the memory. */
async function hostileRow(t: TestContext, spec: FaultSpec, r: Row): Promise<FaultRun> {
  const run = await runFault(t, spec);
  const record = assertRunGuarantees(run, { code: r.code, verdict: r.code === 0 ? 'passed' : 'failed', withinMs: WITHIN });
  row(r.fault, run, r.probe, r.expected);
  const intact = record.probes.find((p) => p.name === 'intact');
  assert.equal(intact?.verdict, 'passed', `the other probe's result is intact: ${intact?.summary}`);
  assert.ok(run.exit?.peakRssKb && run.exit.peakRssKb < CHART_LIMIT_KB, `peak RSS ${run.exit?.peakRssKb} kB, limit ${CHART_LIMIT_KB} kB`);
  return run;
}

/** A peer for one row, closed when the row ends. */
async function peer(t: TestContext, started: Promise<Peer>): Promise<Peer> {
  const p = await started;
  t.after(() => p.close());
  return p;
}

/** One row as a subtest of its engine's test: a failing row leaves the others to run. */
function each(t: TestContext, name: string, check: (t: TestContext) => Promise<unknown>): Promise<void> {
  return t.test(name, async (st) => { await check(st); });
}

/** A row whose hostile probe meets a protocol peer and fails within a second with one plain reason. */
interface PeerRow {
  readonly fault: string;
  readonly start: () => Promise<Peer>;
  readonly probe: string;
  /** The probe's YAML flow mapping after its name: `type: redis, url: …`. */
  readonly spec: (peer: Peer) => string;
  readonly reason: string;
}

/** Runs each row beside `intact`; every peer streams what it announced, so each also checks that the probe stopped reading. */
async function peerRows(t: TestContext, intact: string, rows: readonly PeerRow[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  for (const r of rows) {
    await each(t, r.fault, async (st) => {
      const p = await peer(st, r.start());
      await hostileRow(st, { env, suite: `${ONCE}probes:\n  - { name: ${r.probe}, ${r.spec(p)} }\n${intact}` }, {
        fault: r.fault, probe: r.probe, code: 1, expected: { ...FAILED_FAST, reason: new RegExp(`^${escape(r.reason).replaceAll('PORT', '\\d+')}$`) },
      });
      assert.ok(p.sent() < 24 * 1024 * 1024, `the probe stopped reading (${p.sent()} bytes sent)`);
    });
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const FAILED_FAST = { verdict: 'failed', maxMs: 1000 } as const;

const pgAt = (p: Peer): string => `type: postgres, url: "postgres://monitor@127.0.0.1:${p.port}/orders"`;
const PG_PEERS: readonly PeerRow[] = [
  { fault: 'server asks for GSSAPI', start: () => hostilePostgres('gssapi'), probe: 'kerberos', spec: pgAt, reason: 'server asks for GSSAPI authentication, which syncproof does not support (127.0.0.1:PORT)' },
  { fault: 'RowDescription of 65535 columns', start: () => hostilePostgres('columns'), probe: 'wide', spec: pgAt, reason: 'the server sent a result of 65535 columns; PostgreSQL has at most 1664 (127.0.0.1:PORT)' },
  { fault: 'DataRow of 0x7ffffff0 bytes', start: () => hostilePostgres('huge-row'), probe: 'huge', spec: pgAt, reason: 'the server sent a 2.0 GiB message; syncproof reads at most 8 MiB per message (127.0.0.1:PORT)' },
];
const redisAt = (p: Peer): string => `type: redis, url: "redis://127.0.0.1:${p.port}/0"`;
const REDIS_PEERS: readonly PeerRow[] = [
  { fault: 'bulk reply of $999999999999', start: () => hostileRedis('huge-bulk'), probe: 'bulk', spec: redisAt, reason: 'the server sent a 931.3 GiB string; syncproof reads at most 8 MiB per reply (127.0.0.1:PORT)' },
  { fault: 'arrays nested a million deep', start: () => hostileRedis('deep-array'), probe: 'nested', spec: redisAt, reason: 'the server sent arrays nested deeper than 64 levels (127.0.0.1:PORT)' },
  { fault: 'an array of 3 million values', start: () => hostileRedis('wide-array'), probe: 'wide', spec: redisAt, reason: 'the server sent a reply of over 100000 values (an array of 3000000); syncproof reads at most 100000 (127.0.0.1:PORT)' },
  { fault: 'COMMAND INFO reply not a list', start: () => hostileRedis('command-info-not-array'), probe: 'flag', spec: (p) => `${redisAt(p)}, command: [GET, feature]`, reason: 'cannot check that GET is read-only (its COMMAND INFO reply is not a list of one entry); set allowWrite: true to send it unchecked' },
];
const MYSQL_PEERS: readonly PeerRow[] = [
  { fault: 'packets of 16 MiB without end', start: hostileMysql, probe: 'packets', spec: (p) => `type: mysql, url: "mysql://monitor@127.0.0.1:${p.port}/app"`, reason: 'the server sent a packet of over 16.0 MiB; syncproof reads at most 8 MiB per packet (127.0.0.1:PORT)' },
];

describe('hostile responses: data layer', { concurrency: true }, () => {
  test('postgres: GSSAPI, 65535 columns, a 2 GiB row, 3 million rows, a jsonb value 2,000 deep, a superuser; the sink too', async (t) => {
    const server = await startPostgres();
    t.after(() => server.stop());
    // A plain role, so that a row's only note is its own; the superuser row is the one with that note.
    await server.query('CREATE ROLE reader LOGIN');
    const intact = `  - { name: intact, type: postgres, url: "${server.url()}" }\n`;

    await peerRows(t, intact, PG_PEERS);
    await each(t, '3 million rows', async (st) => {
      const many = await hostileRow(st, { suite: `defaults:\n  within: 0s\n  timeout: 8s\nprobes:
  - { name: many, type: postgres, url: "${server.url('reader')}", query: "SELECT n FROM generate_series(1, 3000000) AS n", expect: ["rowCount == 1000"] }\n${intact}` }, {
        fault: '3 million rows', probe: 'many', code: 0,
        expected: { verdict: 'passed', reason: /^primary, 0 replicas, 1000 rows in [\d.]+m?s \(rows cut at 1000 \(the query returned more\)\)$/, maxMs: 8000 },
      });
      assert.equal(many.record?.probes.find((p) => p.name === 'many')?.observed?.['rowCount'], 1000);
    });
    await each(t, 'a jsonb value 2,000 levels deep', async (st) => {
      const deep = await hostileRow(st, { suite: `${ONCE}probes:
  - { name: deep, type: postgres, url: "${server.url('reader')}", query: "SELECT (repeat('[', 2000) || '1' || repeat(']', 2000))::jsonb AS v" }\n${intact}` }, {
        fault: 'jsonb value 2,000 levels deep', probe: 'deep', code: 0,
        expected: { verdict: 'passed', reason: /^primary, 0 replicas, 1 row in [\d.]+m?s$/, maxMs: 3000 },
      });
      assert.match(JSON.stringify(deep.record?.probes.find((p) => p.name === 'deep')?.observed), /nested deeper than (64 levels: cut|32 levels)/);
    });
    await each(t, 'a superuser', async (st) => {
      await hostileRow(st, { suite: `${ONCE}probes:\n  - { name: admin, type: postgres, url: "${server.url()}", query: "SELECT 1" }\n${intact}` }, {
        fault: 'query as a superuser', probe: 'admin', code: 0,
        expected: { verdict: 'passed', reason: /^primary, 0 replicas, 1 row in [\d.]+m?s \(runs as superuser "postgres": read-only stops data writes, not COPY TO PROGRAM, dblink_exec or replication slots \(use a least-privileged role\)\)$/, maxMs: 3000 },
      });
    });
    await each(t, 'the sink meets GSSAPI', async (st) => {
      const sinkPeer = await peer(st, hostilePostgres('gssapi'));
      const sink = await runFault(st, { suite: `${ONCE}probes:\n${intact}`, sinks: `  - type: postgres\n    url: "postgres://monitor@127.0.0.1:${sinkPeer.port}/orders"\n` });
      assertRunGuarantees(sink, { code: 0, verdict: 'passed', withinMs: WITHIN });
      const line = noteSinkRow('server asks for GSSAPI', sink, /^sink postgres: /, WITHIN);
      assert.match(line, /^sink postgres: FAILED \(server asks for GSSAPI authentication, which syncproof does not support \(127\.0\.0\.1:\d+\) after 1 attempt\)$/);
      assert.ok(sink.exit?.peakRssKb && sink.exit.peakRssKb < CHART_LIMIT_KB);
    });
  });

  test('redis: a 1 TB bulk, arrays nested a million deep, 3 million values, EVAL_RO of an endless script, COMMAND INFO not a list', async (t) => {
    const server = await startRedis();
    t.after(() => server.stop());
    const intact = `  - { name: intact, type: redis, url: "${server.url()}" }\n`;

    await peerRows(t, intact, REDIS_PEERS);
    await each(t, 'EVAL_RO of an endless script', async (st) => {
      await hostileRow(st, { suite: `${ONCE}probes:\n  - { name: spin, type: redis, url: "${server.url()}", command: [EVAL_RO, "while true do end", "0"] }\n${intact}` }, {
        fault: 'EVAL_RO "while true do end"', probe: 'spin', code: 1,
        expected: { ...FAILED_FAST, reason: /^refused to send EVAL_RO: a script or function may run without end and block the server for every client \(set allowWrite: true to allow it\)$/ },
      });
      assert.equal(await server.admin('PING'), 'PONG', 'the server is not BUSY');
    });
  });

  test('mysql: a multi-packet message without end, 3 million rows, a query as an account with SUPER', async (t) => {
    const server = await startMariaDb();
    t.after(() => server.stop());
    await provision(server);
    await server.query("CREATE USER 'admin'@'%' IDENTIFIED BY 'admin-Pa55'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%'");
    const env = { DB_PW: MONITOR.password };
    const intact = `  - { name: intact, type: mysql, url: "${server.url()}", password: "\${env:DB_PW}" }\n`;

    await peerRows(t, intact, MYSQL_PEERS, env);
    // sql_select_limit stops the server after 1001 rows; rows past it that still come (a LIMIT of the query's own)
    // are dropped as they arrive (test/probes/mysql.test.ts), which costs time, not memory.
    await each(t, '3 million rows', async (st) => {
      await hostileRow(st, { env, suite: `${ONCE}probes:
  - { name: many, type: mysql, url: "${server.url()}", password: "\${env:DB_PW}", query: "SELECT seq FROM seq_1_to_3000000", expect: ["rowCount == 1000"] }\n${intact}` }, {
        fault: '3 million rows', probe: 'many', code: 0,
        expected: { verdict: 'passed', reason: /^primary, 0 replicas, 1000 rows in [\d.]+m?s \(rows cut at 1000 \(the query returned more\)\)$/, maxMs: 3000 },
      });
    });
    await each(t, 'an account with SUPER', async (st) => {
      await hostileRow(st, { env, suite: `${ONCE}probes:\n  - { name: admin, type: mysql, url: "${server.url('admin')}", password: admin-Pa55, query: "SELECT 1" }\n${intact}` }, {
        fault: 'query as an account with SUPER', probe: 'admin', code: 0,
        expected: { verdict: 'passed', reason: /^primary, 0 replicas, 1 row in [\d.]+m?s \(runs as admin@% with SUPER: read-only stops data writes, not a CALLed procedure that commits or CHANGE MASTER \(use a least-privileged user\)\)$/, maxMs: 3000 },
      });
    });
  });
});
