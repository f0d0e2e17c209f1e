// A probe type's driver is loaded once, before any attempt's timer starts: loading a driver is this
// process's cost, not the target's, and must not count against an attempt's timeout.
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
