// Where a redis probe connects: the url with username/password overrides, as the suite is checked. The
// client that connects is connect.ts, loaded only to observe.
import { hostPort, unbracket } from '../../net/address.ts';

export interface RedisConnectSpec {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly tls?: { readonly ca?: string | undefined; readonly insecure?: boolean | undefined; readonly serverName?: string | undefined } | undefined;
}

export interface RedisEndpoint {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
}

/** The url's parts, `username`/`password` keys winning over the url's. */
export function endpointOf(spec: RedisConnectSpec): RedisEndpoint {
  const url = new URL(spec.url);
  const host = decodeURIComponent(url.hostname) || 'localhost';
  const db = url.pathname.replace(/^\//, '');
  return {
    tls: url.protocol === 'rediss:',
    host: unbracket(host),
    port: url.port ? Number(url.port) : 6379,
    db: db ? Number(db) : 0,
    username: spec.username ?? (url.username ? decodeURIComponent(url.username) : undefined),
    password: spec.password ?? (url.password ? decodeURIComponent(url.password) : undefined),
  };
}

export function whereOf(e: RedisEndpoint): string {
  return hostPort(e.host, e.port);
}

/** `redis://monitor@cache:6379/0`, never with a password. */
export function targetOf(spec: RedisConnectSpec): string {
  const e = endpointOf(spec);
  const user = e.username !== undefined ? `${encodeURIComponent(e.username)}@` : '';
  return `${e.tls ? 'rediss' : 'redis'}://${user}${whereOf(e)}/${e.db}`;
}
