// How a redis probe connects (where is endpoint.ts): TLS for rediss://,
// and one ioredis client that never retries, reconnects or queues on its own. Error wording lives here too.
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Redis } from 'ioredis';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { WireRefusal } from '../../net/wire-guard.ts';
import { guardedConnector } from './wire.ts';
import { authRefused } from '../types.ts';
import { loadCa } from '../../net/ca.ts';
import { whereOf, type RedisConnectSpec, type RedisEndpoint } from './endpoint.ts';

async function tlsOf(e: RedisEndpoint, spec: RedisConnectSpec): Promise<ConnectionOptions | undefined | string> {
  if (!e.tls) return undefined;
  const options = spec.tls ?? {};
  const ca = await loadCa(options.ca);
  if (!ca.ok) return ca.error;
  const serverName = options.serverName ?? (net.isIP(e.host) ? undefined : e.host);
  return { rejectUnauthorized: options.insecure !== true, ...(ca.pem ? { ca: ca.pem } : {}), ...(serverName ? { servername: serverName } : {}) };
}

export type Opened =
  | {
    readonly ok: true; readonly client: Redis; readonly notes: readonly string[]; readonly close: () => void;
    /** What the wire guard refused, if it did: the real reason behind a command's `Connection is closed.`. */
    readonly refusal: () => WireRefusal | undefined;
  }
  | { readonly ok: false; readonly error: string; readonly retry?: false };

/**
 * Connects, authenticates and selects the db. The caller bounds this with its abort signal and
 * calls `close()` then, which destroys the socket whatever state it is in. Aborting `signal` closes too.
 */
export async function openClient(spec: RedisConnectSpec, e: RedisEndpoint, signal: AbortSignal, timeoutMs: number): Promise<Opened> {
  const tls = await tlsOf(e, spec);
  if (typeof tls === 'string') return { ok: false, error: tls };
  const { Redis, AbstractConnector } = await import('ioredis');
  // The awaits above may outlast the signal; its listener below would never fire, and close() before
  // connect() does not stop connect() from opening a socket. So nothing is created after an abort.
  if (signal.aborted) return { ok: false, error: timeoutReason(timeoutMs) };
  let refusal: WireRefusal | undefined;
  const client = new Redis({
    host: e.host, port: e.port, ...(tls ? { tls } : {}),
    // Our socket, every reply checked before ioredis reads it (wire.ts).
    Connector: guardedConnector(AbstractConnector, whereOf(e), (error) => { refusal ??= error; }),
    lazyConnect: true,
    // RESP2 and our own AUTH: no HELLO, so every server version answers alike and auth errors are ours to word.
    protocol: 2,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: null,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
    connectTimeout: Math.max(1, Math.round(timeoutMs)),
    disconnectTimeout: 0, // we destroy the socket ourselves; no 2 s timer may outlive the attempt
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => { lastError ??= error; }); // a dropped connection must not crash the process
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    signal.removeEventListener('abort', close);
    client.disconnect();
    client.stream?.destroy();
  };
  signal.addEventListener('abort', close, { once: true });
  const notes: string[] = [];
  try {
    await client.connect();
    if (e.password !== undefined || e.username !== undefined) {
      const args = e.username !== undefined ? [e.username, e.password ?? ''] : [e.password ?? ''];
      try {
        await client.call('AUTH', ...args);
      } catch (error) {
        if (!/without any password configured/.test(messageOf(error))) throw error;
        notes.push('the server\'s default user has no password; `password` was not needed');
      }
    }
    if (e.db !== 0) await client.call('SELECT', String(e.db));
    return { ok: true, client, notes, close, refusal: () => refusal };
  } catch (error) {
    close();
    const cause = refusal ?? (lastError !== undefined && isClosed(error) ? lastError : error);
    // ioredis's connectTimeout is the attempt's timeout too: say it the same way whichever fires first.
    if ((cause as { code?: unknown } | null)?.code === 'ETIMEDOUT' && messageOf(cause) === 'connect ETIMEDOUT') return { ok: false, error: timeoutReason(timeoutMs) };
    return { ok: false, error: describeRedisError(cause, e), ...authRefused(/^(?:WRONGPASS|NOAUTH|ERR invalid password)/.test(messageOf(cause))) };
  }
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

function isClosed(error: unknown): boolean {
  return messageOf(error) === 'Connection is closed.';
}

/**
 * One plain line. Server replies (`WRONGTYPE …`, `NOPERM …`) are passed on as the server wrote them;
 * the error object's `command.args` may hold the password, so only the message is ever read.
 */
export function describeRedisError(error: unknown, e: RedisEndpoint): string {
  if (error instanceof WireRefusal) return error.message;
  const message = messageOf(error);
  if (/^WRONGPASS|^ERR invalid password/.test(message)) return `authentication failed for user "${e.username ?? 'default'}"`;
  if (/^NOAUTH/.test(message)) return 'authentication required: the server asks for a password (set `password`)';
  if ((error as { name?: unknown } | null)?.name === 'ReplyError' && message) return message.split('\n')[0] ?? message;
  if (isClosed(error)) return `connection closed by server (${whereOf(e)})`;
  return describeError(error, whereOf(e));
}
