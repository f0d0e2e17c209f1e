// What every registered probe type owes the runner, whatever it speaks: an attempt whose signal is aborted
// before it starts opens no socket, and a peer that accepts and never answers ends the attempt within its
// timeout + 1 s with nothing left open. The tests are made from the registry (src/probes/index.ts): a new
// type fails here until FIXTURES says how to point it at a loopback peer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeTypes } from '../../src/probes/index.ts';
import { timeoutReason } from '../../src/net/socket-errors.ts';
import type { AttemptContext, ProbeType } from '../../src/probes/types.ts';
import { silentDnsServer } from '../support/dns-server.ts';
import { silentPeer } from '../support/net.ts';
import { fallsTo } from '../support/probe-calls.ts';

/**
 * How a type reaches its peer: `tcp` for everything that dials TCP (HTTP, TLS, the databases, the brokers,
 * the Kubernetes API over HTTPS), `udp` for dns, which asks a server over UDP and has no TCP option.
 * `spec` is the smallest spec of the type that points at 127.0.0.1:port; `dir` is a temp dir for files it needs.
 */
interface Fixture {
  readonly peer: 'tcp' | 'udp';
  /** tcp only connects: a peer that accepts has answered it, so the silent peer is an observation, not a timeout. */
  readonly acceptIsAnswer?: true;
  spec(port: number, dir: string): Record<string, unknown>;
}

const FIXTURES: Readonly<Record<string, Fixture>> = {
  http: { peer: 'tcp', spec: (port) => ({ url: `http://127.0.0.1:${port}/healthz` }) },
  tcp: { peer: 'tcp', acceptIsAnswer: true, spec: (port) => ({ host: '127.0.0.1', port }) },
  dns: { peer: 'udp', spec: (port) => ({ query: 'orders.test', server: `127.0.0.1:${port}` }) },
  tls: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port }) },
  postgres: { peer: 'tcp', spec: (port) => ({ url: `postgres://monitor@127.0.0.1:${port}/orders` }) },
  mysql: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port, user: 'monitor' }) },
  redis: { peer: 'tcp', spec: (port) => ({ url: `redis://127.0.0.1:${port}` }) },
  grpc: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port }) },
  rabbitmq: { peer: 'tcp', spec: (port) => ({ url: `amqp://127.0.0.1:${port}` }) },
  nats: { peer: 'tcp', spec: (port) => ({ servers: [`127.0.0.1:${port}`] }) },
  kafka: { peer: 'tcp', spec: (port) => ({ brokers: [`127.0.0.1:${port}`] }) },
  prometheus: { peer: 'tcp', spec: (port) => ({ url: `http://127.0.0.1:${port}`, query: 'up' }) },
  kubernetes: {
    peer: 'tcp',
    spec: (port, dir) => {
      const kubeconfig = join(dir, `kubeconfig-${port}`);
      writeFileSync(kubeconfig, JSON.stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'silent',
        clusters: [{ name: 'silent', cluster: { server: `https://127.0.0.1:${port}` } }],
        users: [{ name: 'verifier', user: { token: 'a-token-of-twenty-chars' } }],
        contexts: [{ name: 'silent', context: { cluster: 'silent', user: 'verifier' } }],
      }));
      return { kind: 'Deployment', object: 'orders', kubeconfig };
    },
  },
};

const TIMEOUT_MS = 400;

function context(timeoutMs: number, signal: AbortSignal): AttemptContext {
  return { signal, timeoutMs, suite: 'orders' };
}

/** Everything this process holds open or waits on: sockets, timers, requests (c-ares queries, connects, file reads). */
const activeResources = (): number => process.getActiveResourcesInfo().length;

/** A loopback peer that accepts and never answers, and a count of what reached it. */
interface Peer {
  readonly port: number;
  /** Connections (tcp) or datagrams (udp) that reached it so far. */
  readonly reached: () => number;
  /** Connections still open; a datagram leaves none. */
  readonly open: () => number;
  /** Waits until everything sent to it before this call has been counted, by sending something itself. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

async function startPeer(kind: Fixture['peer']): Promise<Peer> {
  if (kind === 'udp') {
    const server = await silentDnsServer();
    return {
      port: server.port, reached: server.received, open: () => 0, close: server.close,
      flush: async () => {
        const until = server.received() + 1;
        const socket = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => socket.send('flush', server.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
        socket.close();
        await until_(() => server.received() >= until);
      },
    };
  }
  const peer = await silentPeer();
  return {
    port: peer.port, reached: peer.accepted, open: peer.open, close: peer.close,
    // The listen queue is first in, first out: once this connection is accepted, any earlier one was.
    flush: async () => {
      const until = peer.accepted() + 1;
      const socket = net.connect(peer.port, '127.0.0.1');
      socket.on('error', () => {});
      await until_(() => peer.accepted() >= until);
      socket.destroy();
      await until_(() => peer.open() === 0);
    },
  };
}

/** Waits up to 2 s for `done`; the assertion after it says what did not happen. */
async function until_(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
}

const dir = mkdtempSync(join(tmpdir(), 'syncproof-contract-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function fixtureOf(type: string): Fixture {
  const fixture = FIXTURES[type];
  assert.ok(fixture, `probe type ${type} has no entry in FIXTURES of test/probes/contract.test.ts: say how to point it at a loopback peer`);
  return fixture;
}

test('FIXTURES has exactly one entry per registered probe type, each a valid spec of its type', () => {
  assert.deepEqual(Object.keys(FIXTURES).sort(), Object.keys(probeTypes).sort());
  for (const [type, probe] of Object.entries(probeTypes)) {
    const parsed = probe.spec.safeParse(fixtureOf(type).spec(5432, dir));
    assert.ok(parsed.success, `${type}: ${parsed.success ? '' : parsed.error.message}`);
  }
});

for (const [type, probe] of Object.entries(probeTypes) as [string, ProbeType][]) {
  test(`${type}: an attempt aborted before it starts returns at once and opens no socket`, () => againstPeer(type, probe, async ({ spec, peer, before }) => {
    const timeoutMs = 5000;
    const started = performance.now();
    const result = await probe.observe(spec, context(timeoutMs, AbortSignal.abort()));
    assert.deepEqual(result, { ok: false, error: timeoutReason(timeoutMs) });
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)}ms of its ${timeoutMs}ms`);
    assert.ok(await fallsTo(activeResources, before), 'nothing it started is still open');
    await peer.flush();
    assert.equal(peer.reached(), 1, 'only the test\'s own flush reached the peer');
  }));

  test(`${type}: a peer that accepts and never answers ends the attempt within its timeout + 1s, with no socket or timer left`, () => againstPeer(type, probe, async ({ spec, peer, before, fixture }) => {
    const started = performance.now();
    const result = await probe.observe(spec, context(TIMEOUT_MS, AbortSignal.timeout(TIMEOUT_MS)));
    const took = performance.now() - started;
    if (fixture.acceptIsAnswer) assert.equal(result.ok, true, JSON.stringify(result));
    else assert.deepEqual(result, { ok: false, error: timeoutReason(TIMEOUT_MS) });
    assert.ok(took < TIMEOUT_MS + 1000, `took ${Math.round(took)}ms`);
    assert.equal(peer.reached(), 1, 'the attempt reached the peer, once (else this would test nothing)');
    assert.ok(await fallsTo(peer.open, 0), 'the peer saw its connection closed');
    assert.ok(await fallsTo(activeResources, before), `no socket, timer or request outlives the attempt: ${process.getActiveResourcesInfo().join(', ')}`);
  }));
}

/** The type's driver loaded, its fixture's peer started and its spec parsed against it; the peer closed after `check`. */
async function againstPeer(type: string, probe: ProbeType, check: (setup: {
  spec: Readonly<Record<string, unknown>>; peer: Awaited<ReturnType<typeof startPeer>>; before: number; fixture: ReturnType<typeof fixtureOf>;
}) => Promise<void>): Promise<void> {
  const fixture = fixtureOf(type);
  await probe.load?.();
  const peer = await startPeer(fixture.peer);
  try {
    await check({ spec: probe.spec.parse(fixture.spec(peer.port, dir)), peer, before: activeResources(), fixture });
  } finally {
    await peer.close();
  }
}
