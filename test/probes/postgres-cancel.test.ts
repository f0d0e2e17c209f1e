// writeCheck's cancel request against a real PostgreSQL 15 server, seen through a relay that, like a
// pooler, acknowledges a CancelRequest at once and hands it to the server later (pgbouncer#245: a
// delayed cancel hits whatever the backend runs by then). Once the probe has sent a cancel it must
// start no statement on that connection, or the late cancel lands on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { postgres } from '../../src/probes/postgres.ts';
import { startPostgres, type PgServer } from '../support/postgres.ts';

const CANCEL_REQUEST_CODE = 80877102;

interface Relay {
  readonly port: number;
  /** Cancel requests handed to the server so far. */
  readonly cancelsDelivered: () => number;
  close(): Promise<void>;
}

/** Pipes connections to the server; a CancelRequest is acknowledged (closed) at once and delivered `delayMs` later. */
async function delayingRelay(server: PgServer, delayMs: number): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let delivered = 0;
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
        const timer = setTimeout(() => {
          timers.delete(timer);
          const upstream = track(net.connect({ host: server.host, port: server.port }));
          upstream.once('connect', () => { delivered++; upstream.end(first); });
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

test('a cancel delivered late by a pooler hits nothing: the query is observed, the write stops at the wait limit', async (t) => {
  const relay = await delayingRelay(server, 400);
  t.after(() => relay.close());
  await server.query('CREATE TABLE IF NOT EXISTS late_canary (suite text PRIMARY KEY, token text NOT NULL, written_at timestamptz NOT NULL)');
  await server.query("INSERT INTO late_canary VALUES ('orders', 'held', now()) ON CONFLICT (suite) DO UPDATE SET token = 'held'");
  // Another session holds the canary row, so the probe's upsert waits past its wait limit (about 4s of
  // the 5s timeout) and returns just after it, before the relay delivers the probe's cancel.
  const holder = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres' });
  await holder.connect();
  t.after(() => holder.end());
  await holder.query('BEGIN');
  await holder.query("SELECT * FROM late_canary WHERE suite = 'orders' FOR UPDATE");
  const spec = postgres.spec.parse({
    host: '127.0.0.1', port: relay.port, user: 'postgres', database: 'postgres',
    writeCheck: { table: 'late_canary' }, query: 'SELECT 42 AS answer FROM pg_sleep(0.5)',
  });
  const release = setTimeout(() => { void holder.query('COMMIT'); }, 4250);
  t.after(() => clearTimeout(release));
  const result = await postgres.observe(spec, { signal: AbortSignal.timeout(5000), timeoutMs: 5000, suite: 'orders' });

  assert.ok(result.ok, `expected an observation, got: ${result.ok ? '' : result.error}`);
  assert.equal(result.observed['value'], 42, 'the user query is not the one the cancel hits');
  assert.equal(result.observed['writable'], false);
  assert.match((result.notes ?? []).join(), /^writeCheck: did not finish in time: /);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(relay.cancelsDelivered(), 1, 'the probe sent one cancel, which the relay delivered');
  // Nothing was started after the cancel: no COMMIT followed the late upsert, so the held row is unchanged.
  assert.deepEqual(await server.query("SELECT token FROM late_canary WHERE suite = 'orders'"), [{ token: 'held' }]);
});
