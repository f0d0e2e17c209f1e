// Where a postgres probe connects and how: the url or host/port/user/database keys, TLS mode, and one
// client whose socket is destroyed on abort. Error wording for connect and auth failures lives here too.
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Client, ClientConfig, CustomTypesConfig } from 'pg';
import type { z } from 'zod';
import { WireRefusal } from '../wire-guard.ts';
import { checkCaUsed, type SqlConnectSpec, type SslMode } from '../sql-connection.ts';
import { describeError } from '../socket-errors.ts';
import { sendCancelRequest } from './cancel.ts';
import { guardedConnection } from './wire.ts';
import { loadCa } from '../ca.ts';
import { hostPort, unbracket } from '../address.ts';

/** The SQL `ssl` modes, and libpq's verify-ca (the CA checked, not the host name), which a postgres url may ask for. */
export type PgSslMode = SslMode | 'verify-ca';

export interface PgEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  readonly ssl: PgSslMode;
}

// libpq's sslmode words; `prefer`/`allow` may fall back to plain text, so they mean no TLS here.
const SSLMODES: Readonly<Record<string, PgSslMode>> = {
  disable: 'disable', allow: 'disable', prefer: 'disable', require: 'require', 'verify-ca': 'verify-ca', 'verify-full': 'verify',
};

/** The connection settings: explicit keys win over the url's parts; user defaults to `postgres`, database to the user. */
export function endpointOf(spec: SqlConnectSpec): PgEndpoint {
  const url = spec.url ? new URL(spec.url) : undefined;
  const host = spec.host ?? (url?.hostname ? decodeURIComponent(url.hostname) : 'localhost');
  const user = spec.user ?? (url?.username ? decodeURIComponent(url.username) : 'postgres');
  const path = url ? decodeURIComponent(url.pathname.slice(1)) : '';
  return {
    host: unbracket(host),
    port: spec.port ?? (url?.port ? Number(url.port) : 5432),
    user,
    database: spec.database ?? (path || user),
    password: spec.password ?? (url?.password ? decodeURIComponent(url.password) : undefined),
    ssl: sslModeOf(spec),
  };
}

/** A url without `sslmode`, or with one of libpq's words (libpq refuses others; a typo must not mean plain text). */
export function knownSslmode(text: string): boolean {
  if (!URL.canParse(text)) return true; // reported as not a valid URL
  const sslmode = new URL(text).searchParams.get('sslmode');
  return sslmode === null || Object.hasOwn(SSLMODES, sslmode);
}

export const SSLMODE_MESSAGE = `has an unknown sslmode: use one of ${Object.keys(SSLMODES).join(', ')}`;

/** knownSslmode for the JSON Schema (as `not`): a url whose sslmode is none of libpq's words. */
// No lookahead: the JSON Schema's patterns must also run on Go's RE2 (Helm checks the chart's values schema with it).
export const UNKNOWN_SSLMODE = { anyOf: [{ not: { pattern: '[?&]sslmode=' } }, { pattern: `[?&]sslmode=(?:${Object.keys(SSLMODES).join('|')})(?:[&#]|$)` }] };

/** The `ssl` key, else the url's `sslmode`, else disable. */
export function sslModeOf(spec: Pick<SqlConnectSpec, 'url' | 'ssl'>): PgSslMode {
  const sslmode = spec.url ? new URL(spec.url).searchParams.get('sslmode') : null;
  return spec.ssl ?? (sslmode ? SSLMODES[sslmode] ?? 'disable' : 'disable');
}

/** The postgres probe's and sink's rule across `url`, `ssl` and `ca`: a `ca` that the TLS mode would ignore is refused. */
export function checkPgCa(spec: Pick<SqlConnectSpec, 'url' | 'ssl' | 'ca'>, ctx: z.RefinementCtx): void {
  const sslmode = spec.url === undefined ? null : new URL(spec.url).searchParams.get('sslmode');
  const urlSetting = sslmode ? `sslmode=${sslmode}` : undefined;
  checkCaUsed(spec, { mode: sslModeOf(spec), urlSetting, verifyingUrl: 'sslmode=verify-full/verify-ca' }, ctx);
}

/** `postgres://monitor@db:5432/orders`, never with a password. */
export function targetOf(spec: SqlConnectSpec): string {
  const e = endpointOf(spec);
  return `postgres://${encodeURIComponent(e.user)}@${hostPort(e.host, e.port)}/${encodeURIComponent(e.database)}`;
}

export function whereOf(e: PgEndpoint): string {
  return hostPort(e.host, e.port);
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
  const { Client, Connection } = (await import('pg')).default;
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
