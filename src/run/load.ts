// A probe type's observing code and driver are loaded once, before any attempt's timer starts: loading is
// this process's cost, not the target's, and must not count against an attempt's timeout.
import { isIP } from 'node:net';
import { unbracket } from '../net/address.ts';
import type { Observe, ProbeType } from '../probes/types.ts';

/** A probe type with the code its attempts run, imported by its `load()`. */
export interface LoadedType {
  readonly probeType: ProbeType;
  readonly observe: Observe;
}

const loading = new WeakMap<ProbeType, Promise<LoadedType>>();

/**
 * Resolves when `type`'s observing code and driver are loaded. One that fails to load (a broken image) fails
 * its attempts instead, as data: the run goes on and its record says why.
 */
export function loadType(type: ProbeType): Promise<LoadedType> {
  let pending = loading.get(type);
  if (!pending) {
    pending = type.load().then(
      (observe) => ({ probeType: type, observe }),
      (error: unknown) => ({ probeType: type, observe: notLoaded(type.type, error) }),
    );
    loading.set(type, pending);
  }
  return pending;
}

function notLoaded(name: string, error: unknown): Observe {
  const reason = `internal error: the ${name} probe could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  return async () => ({ ok: false, error: reason, retry: false });
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
