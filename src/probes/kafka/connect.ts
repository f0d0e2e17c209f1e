// How a kafka probe connects (where is endpoint.ts): one admin client per attempt on the `brokers` list, no retries,
// SASL and TLS from the spec. Its sockets are found through the driver's diagnostics channel (each
// connection carries the attempt as its context), so the attempt's abort destroys them in any state and
// at most MAX_READ_BYTES is read from the cluster in one attempt. Error wording lives here too.
import { tracingChannel } from 'node:diagnostics_channel';
import net from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { Admin, ClusterMetadata } from '@platformatic/kafka';
import { loadCa } from '../../net/ca.ts';
import { hostPort } from '../../net/address.ts';
import { brokersOf } from './endpoint.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import type { KafkaSpec } from './index.ts';

/** Everything read from the cluster in one attempt (metadata, group and offset replies). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

interface Attempt {
  readonly signal: AbortSignal;
  readonly sockets: Set<net.Socket>;
  read: number;
  overflow: boolean;
}

// One subscription for the process: a connection's socket exists once its `connect` has started.
let subscribed = false;
function watchConnections(): void {
  if (subscribed) return;
  subscribed = true;
  tracingChannel<string, { connection?: { context?: unknown; socket?: net.Socket } }>('plt:kafka:connections:connects').subscribe({
    start() {}, asyncStart() {}, asyncEnd() {}, error() {},
    end(message) {
      const attempt = message.connection?.context;
      const socket = message.connection?.socket;
      if (!(attempt instanceof AttemptContext) || !socket || attempt.sockets.has(socket)) return;
      attempt.sockets.add(socket);
      if (attempt.signal.aborted) socket.destroy();
      socket.on('data', (chunk: Buffer) => {
        attempt.read += chunk.length;
        if (attempt.read > MAX_READ_BYTES) { attempt.overflow = true; socket.destroy(); }
      });
    },
  });
}

class AttemptContext implements Attempt {
  readonly sockets = new Set<net.Socket>();
  read = 0;
  overflow = false;
  readonly signal: AbortSignal;
  constructor(signal: AbortSignal) { this.signal = signal; }
}

export type Opened =
  | { readonly ok: true; readonly admin: Admin; readonly metadata: ClusterMetadata; readonly close: () => Promise<void> }
  | { readonly ok: false; readonly error: string };

export async function openClient(spec: KafkaSpec, signal: AbortSignal, timeoutMs: number): Promise<Opened> {
  const timedOut = { ok: false as const, error: timeoutReason(timeoutMs) };
  const brokers = brokersOf(spec);
  const where = brokers.map((b) => hostPort(b.host, b.port)).join(', ');
  let tls: TlsConnectionOptions | undefined;
  if (spec.tls !== undefined) {
    const ca = await loadCa(spec.tls.ca);
    if (!ca.ok) return { ok: false, error: ca.error };
    tls = { rejectUnauthorized: spec.tls.insecure !== true, ...(ca.pem ? { ca: ca.pem } : {}), ...(spec.tls.serverName ? { servername: spec.tls.serverName } : {}) };
  }
  const { Admin } = await import('@platformatic/kafka');
  watchConnections();
  if (signal.aborted) return timedOut;
  const attempt = new AttemptContext(signal);
  const ms = Math.max(1, Math.round(timeoutMs));
  const admin = new Admin({
    clientId: 'syncproof', bootstrapBrokers: brokers, context: attempt,
    connectTimeout: ms, requestTimeout: ms, timeout: ms, retries: 0, autocreateTopics: false,
    ...(tls ? { tls, ...(spec.tls?.serverName === undefined ? { tlsServerName: true } : {}) } : {}),
    ...(spec.sasl ? { sasl: { mechanism: spec.sasl.mechanism, username: spec.sasl.username, password: spec.sasl.password } } : {}),
  });
  const destroy = (): void => { for (const socket of attempt.sockets) socket.destroy(); };
  signal.addEventListener('abort', destroy, { once: true });
  const close = async (): Promise<void> => {
    signal.removeEventListener('abort', destroy);
    if (!signal.aborted && !attempt.overflow) {
      const bye = setTimeout(destroy, 1000);
      await admin.close().catch(() => {});
      clearTimeout(bye);
    }
    destroy();
  };
  try {
    const metadata = await admin.metadata({ topics: [] });
    return { ok: true, admin, metadata, close };
  } catch (error) {
    await close();
    if (signal.aborted) return timedOut;
    if (attempt.overflow) return { ok: false, error: `the broker sent more than 4 MiB (${where})` };
    return { ok: false, error: describeKafkaError(error, where, timeoutMs) };
  }
}

/** Whether the attempt's connections read more than MAX_READ_BYTES (a failed call then says so). */
export function overflowed(admin: Admin): boolean {
  const context = (admin as unknown as { context?: unknown }).context;
  return context instanceof AttemptContext && context.overflow;
}

interface ErrorShape { readonly message?: unknown; readonly cause?: unknown; readonly errors?: unknown; readonly code?: unknown; readonly apiCode?: unknown; readonly apiId?: unknown }

/** The error and what it wraps (a MultipleErrors' first error, a cause), a few levels deep. */
function chainOf(error: unknown): ErrorShape[] {
  const chain: ErrorShape[] = [];
  for (let at = error; at !== undefined && at !== null && chain.length < 6;) {
    const err = at as ErrorShape;
    chain.push(err);
    at = Array.isArray(err.errors) && err.errors.length > 0 ? err.errors[0] : err.cause;
  }
  return chain;
}

/** One plain line: the broker's words for SASL and authorization, the shared wording for the network. */
export function describeKafkaError(error: unknown, where: string, timeoutMs: number): string {
  const chain = chainOf(error);
  // A request timeout reaches the caller as a network error with TimeoutError's words, without its cause.
  const timedOut = (e: ErrorShape) => e.code === 'PLT_KFK_TIMEOUT' || (e.code === 'PLT_KFK_NETWORK' && /timed out/i.test(String(e.message)));
  if (chain.some(timedOut)) return timeoutReason(timeoutMs);
  for (const err of chain) {
    const message = typeof err.message === 'string' ? err.message.slice(0, 500) : '';
    if (err.code === 'PLT_KFK_AUTHENTICATION') return message;
    if (typeof err.apiId === 'string') return `${err.apiId}${message && !message.includes(err.apiId) ? `: ${message}` : ''}`;
  }
  return describeError(chain.at(-1) ?? error, where);
}
