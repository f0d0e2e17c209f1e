// writeCheck's cancel request against a real PostgreSQL 15 server, seen through a relay that, like a
// pooler, acknowledges a CancelRequest at once and hands it to the server later (pgbouncer#245: a
// delayed cancel hits whatever the backend runs by then). Once the probe has sent a cancel it must
// start no statement on that connection, or the late cancel lands on it.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { postgres } from '../../src/probes/postgres/index.ts';
import { startPostgres, type PgServer } from '../support/postgres.ts';

const observePostgres = await postgres.load();

const CANCEL_REQUEST_CODE = 80877102;

interface Relay {
  readonly port: number;
  /** Cancel requests handed to the server so far. */
  readonly cancelsDelivered: () => number;
  /** Settles when the relay receives the first cancel request (the probe has sent it). */
  readonly cancelReceived: Promise<void>;
  /** Settles when the relay has handed the first cancel request to the server. */
  readonly cancelDelivered: Promise<void>;
  close(): Promise<void>;
}

/** Pipes connections to the server; a CancelRequest is acknowledged (closed) at once and delivered `delayMs` later. */
async function delayingRelay(server: PgServer, delayMs: number): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let delivered = 0;
  let cancelReceived = (): void => {};
  let cancelDelivered = (): void => {};
  const received = new Promise<void>((resolve) => { cancelReceived = resolve; });
  const handedOver = new Promise<void>((resolve) => { cancelDelivered = resolve; });
  const track = (socket: net.Socket): net.Socket => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };
  const relay = net.createServer((client) => {
    track(client);
    client.once('data', (first: Buffer) => {
      if (first.length === 16 && first.readInt32BE(0) === 16 && first.readInt32BE(4) === CANCEL_REQUEST_CODE) {
        client.end();
        cancelReceived();
        const timer = setTimeout(() => {
          timers.delete(timer);
          const upstream = track(net.connect({ host: server.host, port: server.port }));
          upstream.once('connect', () => { delivered++; upstream.end(first); cancelDelivered(); });
        }, delayMs);
        timers.add(timer);
        return;
      }
      const upstream = track(net.connect({ host: server.host, port: server.port }));
      upstream.write(first);
      client.pipe(upstream).pipe(client);
      const both = (): void => { client.destroy(); upstream.destroy(); };
      client.on('close', both);
      upstream.on('close', both);
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as net.AddressInfo;
  return {
    port,
    cancelsDelivered: () => delivered,
    cancelReceived: received,
    cancelDelivered: handedOver,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

let server: PgServer;
before(async () => { server = await startPostgres(); });
after(async () => { await server?.stop(); });

/**
 * Another session holds the canary row, so the probe's upsert waits until the relay receives the
 * probe's cancel request; then the lock is released and the upsert answers, before the relay delivers
 * the cancel. Tied to the cancel, not to a clock, so a slow machine sees the same order of events.
 */
async function holdCanaryRow(t: TestContext, relay: Relay, table: string): Promise<void> {
  await server.query(`CREATE TABLE IF NOT EXISTS ${table} (suite text PRIMARY KEY, token text NOT NULL, written_at timestamptz NOT NULL)`);
  await server.query(`INSERT INTO ${table} VALUES ('orders', 'held', now()) ON CONFLICT (suite) DO UPDATE SET token = 'held'`);
  const holder = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres' });
  await holder.connect();
  t.after(() => holder.end());
  await holder.query('BEGIN');
  await holder.query(`SELECT * FROM ${table} WHERE suite = 'orders' FOR UPDATE`);
  void relay.cancelReceived.then(() => holder.query('COMMIT'));
}

/** The late cancel reached the server, and nothing was started after it: no COMMIT followed the upsert. */
async function assertNothingAfterTheCancel(relay: Relay, table: string): Promise<void> {
  await relay.cancelDelivered;
  assert.equal(relay.cancelsDelivered(), 1, 'the probe sent one cancel, which the relay delivered');
  assert.deepEqual(await server.query(`SELECT token FROM ${table} WHERE suite = 'orders'`), [{ token: 'held' }]);
}

test('a cancel delivered late by a pooler hits nothing: the query is observed, the write stops at the wait limit', { timeout: 20_000 }, async (t) => {
  const relay = await delayingRelay(server, 400);
  t.after(() => relay.close());
  await holdCanaryRow(t, relay, 'late_canary');
  const spec = postgres.spec.parse({
    host: '127.0.0.1', port: relay.port, user: 'postgres', database: 'postgres',
    writeCheck: { table: 'late_canary' }, query: 'SELECT 42 AS answer FROM pg_sleep(0.5)',
  });
  const result = await observePostgres(spec, { signal: AbortSignal.timeout(5000), timeoutMs: 5000, suite: 'orders' });

  // Before 74e0e0f the upsert committed and the query ran after it, where the late cancel hit it: a timeout.
  assert.ok(result.ok, `expected an observation, got: ${result.ok ? '' : result.error}`);
  assert.equal(result.observed['value'], 42, 'the user query is not the one the cancel hits');
  assert.equal(result.observed['writable'], false);
  assert.match((result.notes ?? []).at(-1) ?? '', /^writeCheck: did not finish in time: stopped during the upsert, \d+ms into the write check$/);
  await assertNothingAfterTheCancel(relay, 'late_canary');
});

test('a query that used the attempt up: the write check says no time was left, not how long a statement took', { timeout: 20_000 }, async (t) => {
  const relay = await delayingRelay(server, 400);
  t.after(() => relay.close());
  await holdCanaryRow(t, relay, 'spent_canary');
  // The query sleeps (on the server's clock, this machine's) until 300ms before the attempt's end:
  // the write check then has about 100ms to wait, however long connecting took.
  const timeoutMs = 3000;
  const spec = postgres.spec.parse({
    host: '127.0.0.1', port: relay.port, user: 'postgres', database: 'postgres', writeCheck: { table: 'spent_canary' },
    query: 'SELECT 1 AS one FROM pg_sleep_until(to_timestamp($1::float8 / 1000))', params: [Date.now() + timeoutMs - 300],
  });
  const result = await observePostgres(spec, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, suite: 'orders' });

  assert.ok(result.ok, `expected an observation, got: ${result.ok ? '' : result.error}`);
  assert.equal(result.observed['value'], 1);
  assert.equal(result.observed['writable'], false);
  assert.deepEqual(result.notes?.slice(1), ['writeCheck: did not finish in time: no time left after the earlier steps (connecting, the query)'], 'after the superuser note');
  await assertNothingAfterTheCancel(relay, 'spent_canary');
});
