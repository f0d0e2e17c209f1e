// A probe type's driver is loaded once, before any attempt's timer starts: loading a driver is this
// process's cost, not the target's, and must not count against an attempt's timeout.
import { isIP } from 'node:net';
import { unbracket } from '../net/address.ts';
import { parseDnsServer } from '../probes/dns/server.ts';
import type { ProbeType } from '../probes/types.ts';

const loading = new WeakMap<ProbeType, Promise<void>>();

/** Resolves when `type`'s driver is loaded. A driver that fails to load fails its attempts instead, as data. */
export function loadDriver(type: ProbeType): Promise<void> {
  let pending = loading.get(type);
  if (!pending) {
    pending = type.load ? type.load().catch(() => {}) : Promise.resolve();
    loading.set(type, pending);
  }
  return pending;
}

type Spec = Readonly<Record<string, unknown>>;
interface Typed { readonly spec: Spec; readonly type: { readonly spec: { readonly shape: object } } }

/**
 * Whether any of these probes or sinks connects to a host by name (not an IP literal), so needs the
 * host-lookup helper: its `url`, `host` or `server` key, an entry of its `servers` or `brokers` list (nats,
 * kafka), or, for a type with a `host` key left unset, the drivers' default `localhost`. Wrong only towards "yes" (a unix-socket path, a redirect is unknown).
 */
export function namesAHost(configs: readonly Typed[]): boolean {
  return configs.some(({ spec, type }) => {
    const hosts = [hostOfUrl(spec.url), typeof spec.host === 'string' ? spec.host : undefined, hostOfServer(spec.server), ...hostsOfList(spec.servers), ...hostsOfList(spec.brokers)];
    if (spec.url === undefined && spec.host === undefined && 'host' in type.spec.shape) hosts.push('localhost');
    return hosts.some((host) => host !== undefined && !host.startsWith('/') && isIP(unbracket(host)) === 0);
  });
}

function hostOfUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  // An empty host (postgres:///db) is the driver's default, localhost.
  return URL.canParse(url) ? new URL(url).hostname || 'localhost' : url;
}

function hostOfServer(server: unknown): string | undefined {
  return typeof server === 'string' ? parseDnsServer(server)?.host ?? server : undefined;
}

/** `nats://n1:4222` as a url, `n1:4222` or `[::1]:9092` as host[:port]. */
function hostsOfList(list: unknown): (string | undefined)[] {
  return Array.isArray(list) ? list.map((entry) => (String(entry).includes('://') ? hostOfUrl(entry) : hostOfServer(entry))) : [];
}
