/**
 * Freezes `value` and everything reachable from it: nothing downstream may change the suite. A parent is
 * frozen before its children, so an object met frozen is done (or being done, higher up): shared and cyclic
 * references end there without a set of every object seen (a WeakSet of them took ~6 of ~8.5 ms at 2,000 probes).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // for…in with hasOwn, not Object.values: no array per object, and the same own enumerable keys.
  for (const key in value) if (Object.hasOwn(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
