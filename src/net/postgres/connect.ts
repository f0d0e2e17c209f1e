// One postgres client whose socket is destroyed on abort, for the probe, the sink and the store (where they
// connect is src/net/postgres/endpoint.ts). Error wording for connect and auth failures lives here too.
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Client, ClientConfig, CustomTypesConfig } from 'pg';
import { WireRefusal } from '../wire-guard.ts';
import type { SqlConnectSpec } from '../sql-connection.ts';
import { whereOf, type PgEndpoint } from './endpoint.ts';
import { describeError } from '../socket-errors.ts';
import { sendCancelRequest } from './cancel.ts';
import { guardedConnection } from './wire.ts';
import { loadCa } from '../ca.ts';
import { DRIVER_BUILTINS } from '../driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

/** pg, its Node builtins loaded first (loadBuiltins): every probe, sink and store that connects imports it here. */
export async function importPg(): Promise<typeof import('pg').default> {
  loadBuiltins(DRIVER_BUILTINS.pg);
  return (await import('pg')).default;
}

/** TLS options for pg, or an error text when the CA file cannot be read. */
async function tlsOf(e: PgEndpoint, ca: string | undefined): Promise<ConnectionOptions | false | string> {
  if (e.ssl === 'disable') return false;
  if (e.ssl === 'require') return { rejectUnauthorized: false };
  const loaded = await loadCa(ca);
  if (!loaded.ok) return loaded.error;
  return {
    rejectUnauthorized: true,
    ...(loaded.pem ? { ca: loaded.pem } : {}),
    ...(e.ssl === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
  };
}

export class PasswordRequired extends Error {}

export interface OpenClient {
  readonly client: Client;
  /** Asks the server to cancel the statement this connection is running (a CancelRequest). */
  readonly cancel: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** `cause`: the driver's error, for a caller that weighs it (the postgres sink decides whether to retry). */
export type Opened = ({ readonly ok: true } & OpenClient) | { readonly ok: false; readonly error: string; readonly cause?: unknown };

/**
 * Connects and authenticates. Aborting `signal` destroys the socket at any point (a silent server
 * included), which fails every pending call of the client; `close()` always releases the socket.
 */
export async function openClient(spec: SqlConnectSpec, e: PgEndpoint, types: CustomTypesConfig, signal: AbortSignal, timeoutMs: number): Promise<Opened> {
  const ssl = await tlsOf(e, spec.ca);
  if (typeof ssl === 'string') return { ok: false, error: ssl };
  const { Client, Connection } = await importPg();
  const socket = new net.Socket();
  // Our own Connection, so that every message the server sends is checked before pg reads it (wire.ts).
  const connection = guardedConnection(Connection, { stream: () => socket, ssl, keepAlive: false, encoding: 'utf8' }, whereOf(e));
  const config: ClientConfig = {
    host: e.host, port: e.port, user: e.user, database: e.database, ssl, types,
    // A function, so that pg never falls back to PGPASSWORD or ~/.pgpass behind the suite's back.
    password: () => (e.password !== undefined ? e.password : Promise.reject(new PasswordRequired())),
    application_name: 'syncproof',
    // The server's own backstop: a statement still running when the attempt is abandoned is cancelled.
    statement_timeout: Math.max(1, Math.round(timeoutMs)),
  };
  const client = new Client({ ...config, connection } as ClientConfig);
  client.on('error', () => {}); // a dropped connection fails the pending call; it must not crash the process
  const destroy = (): void => { socket.destroy(); };
  signal.addEventListener('abort', destroy, { once: true });
  const close = async (): Promise<void> => {
    signal.removeEventListener('abort', destroy);
    if (!socket.destroyed && !signal.aborted) {
      const bye = setTimeout(destroy, 1000); // a polite Terminate, but never wait on a stuck server
      await client.end().catch(() => {});
      clearTimeout(bye);
    }
    destroy();
  };
  if (signal.aborted) destroy();
  try {
    await client.connect();
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    return { ok: true, client, close, cancel: () => sendCancelRequest(e.host, e.port, processID, secretKey) };
  } catch (error) {
    await close();
    return { ok: false, error: describePgError(error, e), cause: error };
  }
}

/** One plain line: SQLSTATE-aware for server errors, the shared wording for network ones. */
export function describePgError(error: unknown, e: PgEndpoint): string {
  if (error instanceof WireRefusal) return error.message;
  if (error instanceof PasswordRequired) return `password required for user "${e.user}" (the server asked for one)`;
  const err = error as { code?: unknown; message?: unknown } | null;
  if (isServerError(error)) return error.code === '28P01' ? `authentication failed for user "${e.user}"` : error.message;
  const message = typeof err?.message === 'string' ? err.message : '';
  if (message === 'The server does not support SSL connections') return `server does not support TLS (${whereOf(e)})`;
  if (message.startsWith('Connection terminated')) return `connection closed by server (${whereOf(e)})`;
  return describeError(error, whereOf(e));
}

/** The server refused the login (28P01 bad password, 28000 no pg_hba.conf entry) or wants a password none was given for. */
export function isPgAuthError(error: unknown): boolean {
  return error instanceof PasswordRequired || (isServerError(error) && (error.code === '28P01' || error.code === '28000'));
}

/** An error the server sent (a SQLSTATE and a severity), as opposed to a network or TLS failure (`EPIPE`…). */
export function isServerError(error: unknown): error is { code: string; message: string; severity: string } {
  const err = error as { code?: unknown; message?: unknown; severity?: unknown } | null;
  return typeof err?.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && typeof err.message === 'string';
}
