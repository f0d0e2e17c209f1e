// The per-field digests a signature carries, so that `verify` can name what was altered: with only a
// record and one signature over all of it, a failed check could not say where the record changed.
import type { JsonValue } from '../probes/types.ts';
import { canonicalJson } from './canonical.ts';

type JsonObject = { [key: string]: JsonValue };

/** Bytes of SHA-256 kept per field: 96 bits, enough to tell a changed field, ~35 bytes per entry in the record. */
const DIGEST_BYTES = 12;

/**
 * `suite`, `app.revision`, `counts.failed`, `probes[2].observed`, …: top-level keys, the keys of top-level
 * mappings, and each probe's keys, in the record's order, each with the digest of its canonical JSON.
 */
export function fieldDigests(record: JsonObject): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const [path, value] of fieldEntries(record)) digests[path] = digest(value);
  return digests;
}

function fieldEntries(record: JsonObject): [string, JsonValue][] {
  const entries: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'probes' && Array.isArray(value)) {
      value.forEach((probe, i) => {
        if (isObject(probe)) for (const [k, v] of Object.entries(probe)) entries.push([`probes[${i}].${k}`, v]);
        else entries.push([`probes[${i}]`, probe]);
      });
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) entries.push([`${key}.${k}`, v]);
      if (Object.keys(value).length === 0) entries.push([key, value]);
    } else {
      entries.push([key, value]);
    }
  }
  return entries;
}

function digest(value: JsonValue): string {
  // node:crypto taken here, not imported: `run` imports this module through the signer, signing or not.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(canonicalJson(value)).digest().subarray(0, DIGEST_BYTES).toString('base64url');
}

export interface FieldChange {
  readonly path: string;
  readonly change: 'changed' | 'added' | 'removed';
}

/** The fields whose digests differ from the signed ones: changed and removed in the signed order, then added. */
export function changedFields(signed: Readonly<Record<string, string>>, record: JsonObject): FieldChange[] {
  const now = fieldDigests(record);
  const changes: FieldChange[] = [];
  for (const [path, value] of Object.entries(signed)) {
    if (!Object.hasOwn(now, path)) changes.push({ path, change: 'removed' });
    else if (now[path] !== value) changes.push({ path, change: 'changed' });
  }
  for (const path of Object.keys(now)) if (!Object.hasOwn(signed, path)) changes.push({ path, change: 'added' });
  return changes;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
