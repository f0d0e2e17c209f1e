// Where a rabbitmq probe connects: the url's parts with a `password` key winning, as the suite is checked.
// The connection is connect.ts, loaded only to observe.
import type { RabbitSpec } from './index.ts';
import { hostPort, unbracket } from '../../net/address.ts';

export type RabbitConnectSpec = Pick<RabbitSpec, 'url' | 'password' | 'tls'>;

export interface RabbitEndpoint {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly vhost: string;
  readonly user: string;
  readonly password: string;
}

/** The url's parts; without a user, RabbitMQ's (and every client's) default guest/guest. */
export function endpointOf(spec: RabbitConnectSpec): RabbitEndpoint {
  const url = new URL(spec.url);
  const tls = url.protocol === 'amqps:';
  const user = url.username ? decodeURIComponent(url.username) : 'guest';
  return {
    tls,
    host: unbracket(decodeURIComponent(url.hostname) || 'localhost'),
    port: url.port ? Number(url.port) : tls ? 5671 : 5672,
    vhost: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : '/',
    user,
    password: spec.password ?? (url.password ? decodeURIComponent(url.password) : url.username ? '' : 'guest'),
  };
}

export function whereOf(e: RabbitEndpoint): string {
  return hostPort(e.host, e.port);
}

/** `amqp://monitor@rabbitmq:5672/%2F`, never with a password. */
export function targetOf(spec: RabbitConnectSpec): string {
  const e = endpointOf(spec);
  return `${e.tls ? 'amqps' : 'amqp'}://${encodeURIComponent(e.user)}@${whereOf(e)}/${encodeURIComponent(e.vhost)}`;
}
