// Checks a record's signature with a public key and, when the record was altered, names the fields that
// differ from what was signed (from the signed field digests; see docs/signing.md for what that can prove).
import { verify, type KeyObject } from 'node:crypto';
import type { JsonValue } from '../probes/types.ts';
import { canonicalJson } from './canonical.ts';
import { changedFields, type FieldChange } from './fields.ts';
import { keyIdOf } from './key.ts';

type JsonObject = { [key: string]: JsonValue };

export type Verification =
  | { readonly ok: true; readonly keyId: string }
  | { readonly ok: false; readonly reason: string; readonly changes: readonly FieldChange[] };

/** `deliveries` is what `run --output json` adds beside the record: not part of it, not signed. */
const OUTPUT_ONLY = ['deliveries'];

export function verifyRecord(document: JsonValue, key: KeyObject): Verification {
  const fail = (reason: string, changes: readonly FieldChange[] = []): Verification => ({ ok: false, reason, changes });
  if (!isObject(document)) return fail('not a run record (a JSON object)');
  const { signature, ...rest } = document;
  const body = Object.fromEntries(Object.entries(rest).filter(([k]) => !OUTPUT_ONLY.includes(k)));
  if (signature === undefined) return fail('the record is not signed (its suite has no signing.key)');
  if (!isObject(signature) || typeof signature.value !== 'string') return fail('its signature is not {alg, keyId, value}');
  if (signature.alg !== 'Ed25519') return fail(`its signature's alg is ${JSON.stringify(signature.alg)}, not "Ed25519"`);
  const keyId = keyIdOf(key);
  if (signature.keyId !== keyId) return fail(`signed with key ${JSON.stringify(signature.keyId)}, not with this key (${keyId})`);
  if (checks(canonicalJson(body), signature.value, key)) return { ok: true, keyId };
  const fields = signature.fields;
  if (!isObject(fields) || typeof signature.fieldsValue !== 'string' || !checks(canonicalJson(fields), signature.fieldsValue, key)) {
    return fail('the signature does not match, and neither do its field digests: the signature itself was altered');
  }
  const changes = changedFields(fields as Record<string, string>, body);
  if (changes.length === 0) return fail('the signature does not match (no signed field differs: its value was altered)');
  const [first] = changes;
  return fail(`the record was altered: ${first!.path} ${describe(first!)}`, changes);
}

function describe(change: FieldChange): string {
  return change.change === 'changed' ? 'differs from what was signed' : change.change === 'added' ? 'was added after signing' : 'was removed after signing';
}

function checks(message: string, value: string, key: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(message), key, Buffer.from(value, 'base64'));
  } catch {
    return false;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
