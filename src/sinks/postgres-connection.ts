// How the postgres sink reaches its server: the URL and fields turned into pg's client config, and
// which failures are worth another attempt.
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { isCertificateError } from './transient.ts';

export type SslMode = 'disable' | 'require' | 'verify';

export interface ConnectionSpec {
  readonly url: string;
  readonly password?: string | undefined;
  readonly ssl?: SslMode | undefined;
  readonly ca?: string | undefined;
}

/** The URL is parsed here, not by pg: its own parsing would override `password` and `ssl` from the spec. */
export function clientConfig(spec: ConnectionSpec): ClientConfig {
  const url = new URL(spec.url);
  const params = url.searchParams;
  const host = params.get('host') ?? (decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost');
  const mode = spec.ssl ?? sslModeOf(params.get('sslmode'));
  return {
    host,
    port: Number(url.port || params.get('port') || 5432),
    user: decodeURIComponent(url.username) || params.get('user') || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || params.get('dbname') || undefined,
    password: spec.password ?? (url.password ? decodeURIComponent(url.password) : undefined),
    ssl: mode === 'disable' ? false : mode === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ca: pem(spec.ca), servername: host },
    application_name: 'syncproof',
  };
}

/** libpq's sslmode: verify-ca/verify-full verify, require encrypts, anything else is plain. */
function sslModeOf(sslmode: string | null): SslMode {
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') return 'verify';
  return sslmode === 'require' ? 'require' : 'disable';
}

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file; without it the system's CAs. */
function pem(ca: string | undefined): string | undefined {
  if (!ca) return undefined;
  return ca.includes('-----BEGIN') ? ca : readFileSync(ca, 'utf8');
}

/** `postgres://app@db:5432/evidence`: never the password. */
export function connectionTarget(spec: ConnectionSpec): string {
  const url = new URL(spec.url);
  const user = url.username ? `${url.username}@` : '';
  return `postgres://${user}${url.host}${url.pathname}`;
}

/** SQLSTATE classes that may pass on their own: connection, transaction rollback, resources, operator intervention, system. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);
/** Two sinks creating the same table at once collide on the catalog; the next attempt finds it. */
const CREATE_RACE = new Set(['23505', '42P07']);

export function isRetryable(error: unknown): boolean {
  if (isCertificateError(error) || /does not support SSL/.test(String(error))) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return TRANSIENT_CLASSES.has(code.slice(0, 2)) || CREATE_RACE.has(code);
}
