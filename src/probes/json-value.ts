// A driver's value as observation JSON: the one conversion the postgres, mysql and redis probes share.
// Only raw bytes read differently per engine, so each passes its own rule.
import { DATA_LIMITS } from '../net/wire-guard.ts';
import type { JsonValue } from './types.ts';

/** What stands for a list or object nested deeper than DATA_LIMITS.depth (a jsonb value 2,000 levels deep). */
export const TOO_DEEP = `[nested deeper than ${DATA_LIMITS.depth} levels: cut]`;

/**
 * null and undefined → null; non-finite numbers and bigints past 2^53 as text; dates as ISO text (an
 * invalid one null); an error as its message; lists and objects member by member, down to
 * DATA_LIMITS.depth levels (deeper ones are TOO_DEEP, so no later walk over the observation recurses
 * without bound); anything else as text.
 */
export function valueAsJson(value: unknown, bytes: (raw: Buffer) => JsonValue, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return bytes(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && depth >= DATA_LIMITS.depth) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => valueAsJson(item, bytes, depth + 1));
  // fromEntries, not assignment: a column named __proto__ stays a key instead of becoming the prototype.
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueAsJson(v, bytes, depth + 1)]));
  return String(value);
}
