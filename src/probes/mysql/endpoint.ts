// Where a mysql probe connects: the spec (url or host fields) resolved to one address, as the suite is
// checked. The session that connects is connect.ts, loaded only to observe.
import { hostPort, unbracket } from '../../net/address.ts';
import type { SqlConnectSpec, SslMode } from '../../net/sql-connection.ts';

export interface MysqlAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly database: string | undefined;
  readonly password: string | undefined;
  readonly ssl: SslMode;
}

export const URL_SCHEME = /^(mysql|mariadb):\/\//i;
/** MySQL's `ssl-mode` names; PREFERRED may fall back to plain text, so it is not a guarantee of TLS. */
const SSL_MODES: Readonly<Record<string, SslMode>> = {
  DISABLED: 'disable', PREFERRED: 'disable', REQUIRED: 'require', VERIFY_CA: 'verify', VERIFY_IDENTITY: 'verify',
};
export const URL_PARAMS = ['ssl-mode', 'sslmode'] as const;

/** The ssl mode a url asks for, or an error text for a value MySQL does not know. */
export function sslModeOfUrl(url: URL): SslMode | string | undefined {
  const value = url.searchParams.get('ssl-mode') ?? url.searchParams.get('sslmode');
  if (value === null) return undefined;
  return SSL_MODES[value.toUpperCase().replace(/-/g, '_')] ?? `unknown ssl-mode "${value}" (use one of ${Object.keys(SSL_MODES).join(', ')})`;
}

export function endpointOf(spec: SqlConnectSpec): MysqlAddress {
  const url = spec.url === undefined ? undefined : new URL(spec.url);
  const fromUrl = url ? sslModeOfUrl(url) : undefined;
  const part = (text: string | undefined) => (text ? decodeURIComponent(text) : undefined);
  return {
    host: unbracket(spec.host ?? part(url?.hostname) ?? 'localhost'),
    port: spec.port ?? Number(url?.port || 3306),
    user: spec.user ?? part(url?.username),
    database: spec.database ?? part(url?.pathname.slice(1)),
    password: spec.password ?? part(url?.password),
    ssl: spec.ssl ?? (fromUrl === 'require' || fromUrl === 'verify' ? fromUrl : 'disable'),
  };
}

/** `mysql://monitor@db:3306/orders`: never the password. */
export function targetOf(spec: SqlConnectSpec): string {
  const a = endpointOf(spec);
  return `mysql://${a.user ? `${encodeURIComponent(a.user)}@` : ''}${hostPort(a.host, a.port)}/${a.database ? encodeURIComponent(a.database) : ''}`;
}

/** Raised for a step cut short by the abort signal; the caller reports it as a timeout. */
