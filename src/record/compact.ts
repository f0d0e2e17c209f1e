// The record keeps what an observation showed, but not a 1 MiB body per probe per run in every sink.
import type { JsonValue, Observed } from '../probes/types.ts';
import { redact } from '../secrets.ts';

export const RECORD_STRING_LIMIT = 4096;
export const RECORD_LIST_LIMIT = 100;

/**
 * Long strings and lists cut, with a marker saying how long they were, and redacted (keys too) as they are
 * kept: the record's one redaction of what was observed. Assertions saw the whole value.
 */
export function compact(value: JsonValue): JsonValue {
  if (typeof value === 'string') {
    // Redacted before cutting: a cut secret would no longer match its mask.
    value = redact(value);
    return value.length > RECORD_STRING_LIMIT ? `${value.slice(0, RECORD_STRING_LIMIT)}… [truncated, ${value.length} chars]` : value;
  }
  // JSON has no NaN or Infinity (JSON.stringify would write null): kept as Prometheus writes them.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (Array.isArray(value)) {
    const items = value.slice(0, RECORD_LIST_LIMIT).map(compact);
    return value.length > RECORD_LIST_LIMIT ? [...items, `… [truncated, ${value.length} items]`] : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), compact(v)]));
  }
  return value;
}

declare const cut: unique symbol;
/** An observation as the record keeps it; only compactObserved makes one, so the record never cuts twice. */
export type KeptObserved = Observed & { readonly [cut]: true };

/**
 * An observation as the record keeps it. The runner keeps only this of a probe's last attempt, so a run
 * holds ~4 KiB per finished probe instead of a body of up to 1 MiB and its parsed JSON until the end.
 */
export function compactObserved(observed: Observed): KeptObserved {
  return compact(observed) as KeptObserved;
}
