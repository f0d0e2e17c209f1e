// Where a postgres probe or sink connects: the url or host/port/user/database keys and the TLS mode, as the
// suite is checked. Opening the connection is src/net/postgres/connect.ts, loaded only to connect.
import type { z } from '../../zod.ts';
import { checkCaUsed, type SqlConnectSpec, type SslMode } from '../sql-connection.ts';
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
