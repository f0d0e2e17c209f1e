// What every registered probe type owes the runner, whatever it speaks: an attempt whose signal is aborted
// before it starts opens no socket, and a peer that accepts and never answers ends the attempt within its
// timeout + 1 s with nothing left open. The tests are made from the registry (src/probes/index.ts): a new
// type fails here until test/support/probe-fixtures.ts says how to point it at a loopback peer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeTypes } from '../../src/probes/index.ts';
import { timeoutReason } from '../../src/net/socket-errors.ts';
import type { AttemptContext, Observe, ProbeType } from '../../src/probes/types.ts';
import { silentDnsServer } from '../support/dns-server.ts';
import { silentPeer } from '../support/net.ts';
import { fallsTo } from '../support/probe-calls.ts';
import { FIXTURES, fixtureOf, type Fixture } from '../support/probe-fixtures.ts';

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


test('src/probes/observers.ts holds one observing function per registered probe type, and each type loads its own', async () => {
  const observers: Record<string, unknown> = await import('../../src/probes/observers.ts');
  assert.deepEqual(Object.keys(observers).sort(), Object.keys(probeTypes).sort());
  for (const [type, probe] of Object.entries(probeTypes)) assert.equal(await probe.load(), observers[type], type);
});

test('FIXTURES has exactly one entry per registered probe type, each a valid spec of its type', () => {
  assert.deepEqual(Object.keys(FIXTURES).sort(), Object.keys(probeTypes).sort());
  for (const [type, probe] of Object.entries(probeTypes)) {
    const parsed = probe.spec.safeParse(fixtureOf(type).spec(5432, dir));
    assert.ok(parsed.success, `${type}: ${parsed.success ? '' : parsed.error.message}`);
  }
});

for (const [type, probe] of Object.entries(probeTypes) as [string, ProbeType][]) {
  test(`${type}: an attempt aborted before it starts returns at once and opens no socket`, () => againstPeer(type, probe, async ({ spec, observe, peer, before }) => {
    const timeoutMs = 5000;
    const started = performance.now();
    const result = await observe(spec, context(timeoutMs, AbortSignal.abort()));
    assert.deepEqual(result, { ok: false, error: timeoutReason(timeoutMs) });
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)}ms of its ${timeoutMs}ms`);
    assert.ok(await fallsTo(activeResources, before), 'nothing it started is still open');
    await peer.flush();
    assert.equal(peer.reached(), 1, 'only the test\'s own flush reached the peer');
  }));

  test(`${type}: a peer that accepts and never answers ends the attempt within its timeout + 1s, with no socket or timer left`, () => againstPeer(type, probe, async ({ spec, observe, peer, before, fixture }) => {
    const started = performance.now();
    const result = await observe(spec, context(TIMEOUT_MS, AbortSignal.timeout(TIMEOUT_MS)));
    const took = performance.now() - started;
    if (fixture.acceptIsAnswer) assert.equal(result.ok, true, JSON.stringify(result));
    else assert.deepEqual(result, { ok: false, error: timeoutReason(TIMEOUT_MS) });
    assert.ok(took < TIMEOUT_MS + 1000, `took ${Math.round(took)}ms`);
    assert.equal(peer.reached(), 1, 'the attempt reached the peer, once (else this would test nothing)');
    assert.ok(await fallsTo(peer.open, 0), 'the peer saw its connection closed');
    assert.ok(await fallsTo(activeResources, before), `no socket, timer or request outlives the attempt: ${process.getActiveResourcesInfo().join(', ')}`);
  }));
}

/** The type's observing code and driver loaded, its fixture's peer started and its spec parsed against it; the peer closed after `check`. */
async function againstPeer(type: string, probe: ProbeType, check: (setup: {
  spec: Readonly<Record<string, unknown>>; observe: Observe; peer: Awaited<ReturnType<typeof startPeer>>; before: number; fixture: ReturnType<typeof fixtureOf>;
}) => Promise<void>): Promise<void> {
  const fixture = fixtureOf(type);
  const observe = await probe.load();
  const peer = await startPeer(fixture.peer);
  try {
    await check({ spec: probe.spec.parse(fixture.spec(peer.port, dir)), observe, peer, before: activeResources(), fixture });
  } finally {
    await peer.close();
  }
}
