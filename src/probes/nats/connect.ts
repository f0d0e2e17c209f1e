// How a nats probe connects (where is endpoint.ts): the `servers` list tried in order once (no reconnects, no cluster
// updates, no randomising), user/password, token or a creds file, TLS, within the attempt signal through
// the attempt transport. Error wording lives here too.
import net from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadCa } from '../../net/ca.ts';
import { fileProblem, readRegularFile } from '../../regular-file.ts';
import { hostPort } from '../../net/address.ts';
import { serverOf } from './endpoint.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { describeNatsError, type Server } from './errors.ts';
import { installAttemptTransport, type AttemptSocket, type NatsDriver } from './transport.ts';
import type { NatsSpec } from './index.ts';

export type NatsConnectionOptions = Record<string, unknown>;

/** A .creds file is a user JWT and its nkey seed, ~1 KB. */
export const MAX_CREDS_BYTES = 64 * 1024;

/**
 * The `creds` key: the text of a .creds file, or its path: a regular file of at most 64 KiB, read without
 * blocking on a FIFO and without reading on past the bound (`creds: /dev/zero`).
 */
async function credsOf(creds: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }> {
  if (creds.includes('-----BEGIN')) return { ok: true, bytes: new TextEncoder().encode(creds) };
  const path = creds.trim();
  try {
    const read = await readRegularFile(path, MAX_CREDS_BYTES);
    if (!read.ok) return { ok: false, error: `creds file not readable: ${fileProblem(read, MAX_CREDS_BYTES)} (${path})` };
    return { ok: true, bytes: read.bytes };
  } catch (error) {
    return { ok: false, error: `creds file ${(error as { code?: string }).code === 'ENOENT' ? 'not found' : 'not readable'} (${path})` };
  }
}

export type Opened =
  | { readonly ok: true; readonly nc: NatsConnection; readonly close: () => Promise<void> }
  | { readonly ok: false; readonly error: string };

/** Connects to the first server that answers and logs in; aborting `signal` destroys its socket at any point. */
export async function openClient(spec: NatsSpec, signal: AbortSignal, timeoutMs: number): Promise<Opened> {
  const timedOut = { ok: false as const, error: timeoutReason(timeoutMs) };
  const servers = spec.servers.map(serverOf);
  const wantTls = spec.tls !== undefined || servers.some((s) => s.tls);
  let tls: TlsConnectionOptions | null = null;
  if (wantTls) {
    const ca = await loadCa(spec.tls?.ca);
    if (!ca.ok) return { ok: false, error: ca.error };
    const name = spec.tls?.serverName;
    tls = { rejectUnauthorized: spec.tls?.insecure !== true, ...(ca.pem ? { ca: ca.pem } : {}), ...(name ? { servername: name } : {}) };
  }
  const creds = spec.creds === undefined ? undefined : await credsOf(spec.creds);
  if (creds && !creds.ok) return { ok: false, error: creds.error };
  const nats = await import('@nats-io/transport-node');
  await installAttemptTransport(nats);
  if (signal.aborted) return timedOut;
  const base: NatsConnectionOptions = {
    name: 'syncproof', reconnect: false, maxReconnectAttempts: 0, waitOnFirstConnect: false, ignoreClusterUpdates: true, noEcho: true,
    pingInterval: 3_600_000, tls,
    ...(spec.user !== undefined ? { user: spec.user, pass: spec.password ?? '' } : {}),
    ...(spec.token !== undefined ? { token: spec.token } : {}),
    ...(creds?.ok ? { authenticator: nats.credsAuthenticator(creds.bytes) } : {}),
  };
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  // One server at a time: the driver without reconnects gives up after the first it cannot reach.
  for (const server of servers) {
    const tried = await connectOne(nats, server, base, signal, deadline);
    if (tried.ok || signal.aborted || tried.error === TIMED_OUT) return tried.ok ? tried : timedOut;
    failures.push(tried.error);
    if (!('unreachable' in tried) || !tried.unreachable) return { ok: false, error: tried.error };
  }
  return { ok: false, error: combined(failures) };
}

const TIMED_OUT = 'timeout';

/** `connection refused (a:4222, b:4222)` when every server failed alike, else the last server's reason. */
function combined(failures: readonly string[]): string {
  const parts = failures.map((f) => /^(.*) \(([^()]*)\)$/.exec(f));
  const first = parts[0]?.[1];
  if (parts.every((p) => p !== null && p[1] === first)) return `${first} (${parts.map((p) => p![2]).join(', ')})`;
  return failures.at(-1) ?? 'no server';
}

type Tried = Opened | { readonly ok: false; readonly error: string; readonly unreachable: boolean };

async function connectOne(nats: NatsDriver, server: Server, base: NatsConnectionOptions, signal: AbortSignal, deadline: number): Promise<Tried> {
  const sockets = new Set<net.Socket>();
  let overflow = false;
  const attempt: AttemptSocket = { signal, opened: (socket) => sockets.add(socket), overflowed: () => { overflow = true; } };
  const where = hostPort(server.host, server.port);
  const options: NatsConnectionOptions = {
    ...base, servers: [`${server.tls ? 'tls' : 'nats'}://${where}`], timeout: Math.max(1, deadline - Date.now()), syncproofAttempt: attempt,
  };
  const destroy = (): void => { for (const socket of sockets) socket.destroy(); };
  try {
    const nc = await nats.NatsConnectionImpl.connect(options);
    const close = async (): Promise<void> => {
      if (!signal.aborted && !overflow) {
        const bye = setTimeout(destroy, 1000); // a polite close, but never wait on a stuck server
        await nc.close().catch(() => {});
        clearTimeout(bye);
      }
      destroy();
    };
    return { ok: true, nc, close };
  } catch (error) {
    destroy();
    if (signal.aborted || (error as { name?: unknown }).name === 'TimeoutError') return { ok: false, error: TIMED_OUT, unreachable: false };
    if (overflow) return { ok: false, error: `the server sent more than 4 MiB (${where})`, unreachable: false };
    const reason = describeNatsError(error, [server]);
    return { ok: false, error: reason, unreachable: /^(connection refused|host not found|host unreachable|network unreachable|connection reset)/.test(reason) };
  }
}
