// Reading the value a PATH points at in an observation; undefined means missing.
import type { PathSegment } from './ast.ts';
import type { JsonValue, Observed } from '../probes/types.ts';

export function resolvePath(observed: Observed, path: readonly PathSegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = observed;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = 'index' in segment ? itemAt(current, segment.index) : keyOf(current, segment.key);
  }
  return current;
}

function itemAt(value: JsonValue, index: number): JsonValue | undefined {
  return Array.isArray(value) ? value[index] : undefined;
}

function keyOf(value: JsonValue, key: string): JsonValue | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // An object's own `length` key wins over `.length`.
    return Object.hasOwn(value, key) ? value[key] : undefined;
  }
  if (key === 'length' && (typeof value === 'string' || Array.isArray(value))) return value.length;
  if (Array.isArray(value) && /^\d+$/.test(key)) return value[Number(key)];
  return undefined;
}
