// Where a nats probe connects: its `servers` list, as the suite is checked. The connection is connect.ts,
// loaded only to observe.
import { hostPort, unbracket } from '../../net/address.ts';
import type { Server } from './errors.ts';
import type { NatsSpec } from './index.ts';

/** `nats://h:4222`, `tls://h:4222`, `h:4222` or `h`: scheme, host and port (4222); user info is left out. */
export function serverOf(text: string): Server {
  const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `nats://${text}`);
  return { tls: url.protocol === 'tls:', host: unbracket(decodeURIComponent(url.hostname) || 'localhost'), port: url.port ? Number(url.port) : 4222 };
}

/** `nats://n1:4222,n2:4222/ORDERS/workers`: the servers without credentials, the stream and consumer. */
export function targetOf(spec: Pick<NatsSpec, 'servers' | 'stream' | 'consumer'>): string {
  const servers = spec.servers.map(serverOf);
  const scheme = servers.some((s) => s.tls) ? 'tls' : 'nats';
  const path = spec.stream === undefined ? '' : `/${spec.stream}${spec.consumer === undefined ? '' : `/${spec.consumer}`}`;
  return `${scheme}://${servers.map((s) => hostPort(s.host, s.port)).join(',')}${path}`;
}
