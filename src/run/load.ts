// A probe type's driver is loaded once, before any attempt's timer starts: loading a driver is this
// process's cost, not the target's, and must not count against an attempt's timeout.
import { isIP } from 'node:net';
import { unbracket } from '../net/address.ts';
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

/** A probe or sink as the load phase sees it: the hosts its type says its spec connects to. */
export interface Connecting {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly type: { hosts(spec: Readonly<Record<string, unknown>>): readonly string[] };
}

/**
 * Whether any of these probes or sinks connects to a host by name (not an IP literal, not a unix-socket
 * path), so needs the host-lookup helper. Each type says which hosts its spec names (ProbeType.hosts).
 */
export function namesAHost(configs: readonly Connecting[]): boolean {
  return configs.some(({ spec, type }) => type.hosts(spec).some((host) => !host.startsWith('/') && isIP(unbracket(host)) === 0));
}
