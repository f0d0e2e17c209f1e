// The record keeps what an observation showed, but not a 1 MiB body per probe per run in every sink.
import type { JsonValue } from '../probes/types.ts';
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
  if (Array.isArray(value)) {
    const items = value.slice(0, RECORD_LIST_LIMIT).map(compact);
    return value.length > RECORD_LIST_LIMIT ? [...items, `… [truncated, ${value.length} items]`] : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), compact(v)]));
  }
  return value;
}
