// Signs a finished record (docs/signing.md): `signature: {alg: "Ed25519", keyId, value}` over the RFC 8785 canonical
// JSON of the record without `signature`, plus the field digests `verify` uses to name what was altered.
import type { KeyObject } from 'node:crypto';
import type { JsonValue } from '../probes/types.ts';
import type { RecordSignature, RunRecord } from '../record/types.ts';
import { canonicalJson } from './canonical.ts';
import { fieldDigests } from './fields.ts';
import { keyIdOf, privateKeyOf } from './key.ts';

type JsonObject = { [key: string]: JsonValue };

export interface SigningConfig {
  /** The PKCS#8 PEM private key, checked at load time. */
  readonly key: string;
}

/** The record unchanged without signing; else the record as it is delivered, with its signature. */
export function signRecord(record: RunRecord, signing: SigningConfig | null | undefined): RunRecord {
  if (!signing) return record;
  const key = privateKeyOf(signing.key);
  if (!key.ok) throw new Error(`bug: signing.key passed validation but ${key.error}`);
  const body = deliverable(record);
  return { ...(body as unknown as RunRecord), signature: signatureOf(body, key.key) };
}

export function signatureOf(body: JsonObject, key: KeyObject): RecordSignature {
  // Taken here, not imported: `run` imports this module, and a suite without signing never loads node:crypto.
  const { sign } = process.getBuiltinModule('node:crypto');
  const fields = fieldDigests(body);
  return {
    alg: 'Ed25519',
    keyId: keyIdOf(key),
    value: sign(null, Buffer.from(canonicalJson(body)), key).toString('base64'),
    fields,
    fieldsValue: sign(null, Buffer.from(canonicalJson(fields)), key).toString('base64'),
  };
}

/**
 * The record exactly as every sink will hold it, so the signature checks wherever it is read back: JSON
 * (an undefined key dropped), every string well-formed and without NUL, which a postgres jsonb column
 * refuses and the postgres sink would otherwise replace with U+FFFD after signing.
 */
export function deliverable(record: RunRecord): JsonObject {
  return wellFormedDeep(JSON.parse(JSON.stringify(record)) as JsonValue) as JsonObject;
}

function wellFormedDeep(value: JsonValue): JsonValue {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedDeep(v)]));
  }
  return value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(text: string): string {
  return text.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
