// The record keeps what an observation showed, but not a 1 MiB body per probe per run in every sink.
import type { JsonValue, Observed } from '../probes/types.ts';
import { redact } from '../secrets.ts';

export const RECORD_STRING_LIMIT = 4096;
export const RECORD_LIST_LIMIT = 100;
/** An object keeps its first this many keys: one of 85,000 keys per probe took a 100-probe run to 1.6 GB. */
export const RECORD_KEY_LIMIT = 100;
/** Levels below the observation's top; deeper lists and objects are replaced by a marker. */
export const RECORD_DEPTH_LIMIT = 32;
/** The key that says how many keys an object had, where its cut keys would follow. */
export const CUT_KEYS = '…';

/**
 * Long strings, lists and objects cut, with a marker saying how long they were, values nested too deep
 * replaced by one, and everything redacted (keys too) as it is kept: the record's one redaction of what
 * was observed. Assertions saw the whole value. Recursion is bounded by RECORD_DEPTH_LIMIT.
 */
export function compact(value: JsonValue, depth = 0): JsonValue {
  if (typeof value === 'string') {
    // Redacted before cutting: a cut secret would no longer match its mask.
    value = redact(value);
    return value.length > RECORD_STRING_LIMIT ? detached(`${value.slice(0, RECORD_STRING_LIMIT)}… [truncated, ${value.length} chars]`) : value;
  }
  // JSON has no NaN or Infinity (JSON.stringify would write null): kept as Prometheus writes them.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (value === null || typeof value !== 'object') return value;
  if (depth >= RECORD_DEPTH_LIMIT) return `… [truncated, nested deeper than ${RECORD_DEPTH_LIMIT} levels]`;
  if (Array.isArray(value)) {
    const items = value.slice(0, RECORD_LIST_LIMIT).map((item) => compact(item, depth + 1));
    return value.length > RECORD_LIST_LIMIT ? [...items, `… [truncated, ${value.length} items]`] : items;
  }
  const out: { [key: string]: JsonValue } = {};
  let kept = 0;
  for (const key in value) {
    if (kept === RECORD_KEY_LIMIT) {
      out[CUT_KEYS] = `[truncated, ${Object.keys(value).length} keys]`;
      break;
    }
    // defineProperty: a `__proto__` key (JSON.parse makes it an own key) stays a key.
    Object.defineProperty(out, redact(key), { value: compact(value[key]!, depth + 1), enumerable: true, writable: true, configurable: true });
    kept++;
  }
  return out;
}

/**
 * A copy that does not hold on to the text it was cut from: V8 keeps a slice (and a concatenation with
 * one) as a view of its parent, so each probe's 4 KiB cut would keep its whole 1 MiB body alive.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string; // not via UTF-8: a lone surrogate stays as it was
}

declare const cut: unique symbol;
/** An observation as the record keeps it; only compactObserved makes one, so the record never cuts twice. */
export type RecordedObserved = Observed & { readonly [cut]: true };

/**
 * An observation as the record keeps it. The runner keeps only this of a probe's last attempt, so a run
 * holds ~4 KiB per finished probe instead of a body of up to 1 MiB and its parsed JSON until the end.
 */
export function compactObserved(observed: Observed): RecordedObserved {
  return compact(observed) as RecordedObserved;
}
