// RFC 8785 (JSON Canonicalization Scheme) for the JSON values a record holds: object keys sorted by their
// UTF-16 code units, no whitespace, numbers and strings as ECMAScript's JSON.stringify writes them (which is
// what RFC 8785 prescribes for them). Input is a parsed JSON value, so no undefined, functions or cycles.
import type { JsonValue } from '../probes/types.ts';

export function canonicalJson(value: JsonValue): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: JsonValue, parts: string[]): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('bug: a canonical JSON number must be finite');
    parts.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((item, i) => {
      if (i > 0) parts.push(',');
      write(item, parts);
    });
    parts.push(']');
    return;
  }
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 §3.2.3 asks.
  const keys = Object.keys(value).sort();
  parts.push('{');
  keys.forEach((key, i) => {
    if (i > 0) parts.push(',');
    parts.push(JSON.stringify(key), ':');
    write(value[key]!, parts);
  });
  parts.push('}');
}
