import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { tcp } from '../../src/probes/tcp/index.ts';
import type { AttemptContext, Observation } from '../../src/probes/types.ts';
import { refusedPort, silentPeer } from '../support/net.ts';

const observeTcp = await tcp.load();

function context(timeoutMs = 2000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

function observe(host: string, port: number, ctx = context()): Promise<Observation> {
  return observeTcp(tcp.spec.parse({ host, port }), ctx);
}

const openTcpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

test('a listening peer: connected, and the connection is closed again', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const started = Date.now();
  const result = await observe('127.0.0.1', peer.port);
  assert.deepEqual(result, { ok: true, observed: { connected: true }, summary: 'connected' });
  assert.ok(Date.now() - started < 1000, 'does not wait for the peer to speak');
  assert.equal(peer.accepted(), 1);
  for (let i = 0; i < 50 && peer.open() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(peer.open(), 0, 'the probe closed its socket');
});

test('an IPv6 host, bracketed or not', async (t) => {
  const peer = await silentPeer('::1').catch(() => undefined);
  if (!peer) return t.skip('no IPv6 loopback');
  t.after(() => peer.close());
  assert.equal((await observe('::1', peer.port)).ok, true);
  assert.equal((await observe('[::1]', peer.port)).ok, true);
  assert.equal(tcp.target(tcp.spec.parse({ host: '::1', port: 5432 })), 'tcp://[::1]:5432');
});

test('a closed port is refused, naming the address', async () => {
  const port = await refusedPort();
  assert.deepEqual(await observe('127.0.0.1', port), { ok: false, error: `connection refused (127.0.0.1:${port})` });
});

test('an unknown host is not found', async () => {
  assert.deepEqual(await observe('no-such-host.invalid', 80), { ok: false, error: 'host not found (no-such-host.invalid:80)' });
});

test('a connect that never completes fails as a timeout within timeout + margin and leaves no socket', async (t) => {
  const port = await unacceptingListener(t);
  const before = openTcpHandles();
  const started = Date.now();
  const result = await observe('127.0.0.1', port, context(300));
  assert.deepEqual(result, { ok: false, error: 'timeout after 300ms' });
  assert.ok(Date.now() - started < 300 + 1000, `took ${Date.now() - started}ms`);
  for (let i = 0; i < 25 && openTcpHandles() > before; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(openTcpHandles(), before, 'the socket was destroyed');
});

/**
 * A port whose SYNs go unanswered: a listener (backlog 0) that never accepts, its accept queue
 * filled by us, so Linux drops further SYNs and a connect hangs. Node always accepts, so perl holds it.
 */
async function unacceptingListener(t: TestContext): Promise<number> {
  const script = '$|=1; use IO::Socket::INET; my $s = IO::Socket::INET->new(Listen => 0, LocalAddr => "127.0.0.1", LocalPort => 0) or die "$!"; print $s->sockport, "\\n"; <STDIN>;';
  const holder = spawn('perl', ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => { holder.stdin.end(); holder.kill(); });
  const port = await new Promise<number>((resolve, reject) => {
    holder.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    holder.once('exit', (code) => reject(new Error(`perl listener exited (${code})`)));
  });
  for (let i = 0; i < 8; i++) {
    const filler = net.connect({ host: '127.0.0.1', port });
    filler.on('error', () => {});
    t.after(() => filler.destroy());
    const connected = await new Promise<boolean>((resolve) => {
      filler.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) return port;
  }
  throw new Error('could not fill the accept queue');
}
