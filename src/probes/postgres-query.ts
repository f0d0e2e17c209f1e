// The user's `query`: run inside a READ ONLY transaction the server enforces, rows turned into JSON values.
import type { Client, CustomTypesConfig } from 'pg';
import { toJson } from './json-value.ts';
import type { JsonValue, Observed } from './types.ts';

type Parse = (text: string) => unknown;

const OID = { int8: 20, numeric: 1700, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266 };
// Dates and times stay as the server wrote them: a `date` is not a midnight in the probe's time zone.
const AS_TEXT = new Set([OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.interval, OID.timetz]);

/** bigint and numeric become numbers when that loses nothing, else they stay text. */
function exactNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  const digits = text.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 15 ? n : text;
}

export function typeParsers(defaults: { getTypeParser(oid: number, format?: 'text' | 'binary'): Parse }): CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === OID.int8 || oid === OID.numeric) return exactNumber;
      if (AS_TEXT.has(oid)) return (text: string) => text;
      return defaults.getTypeParser(oid, format);
    }) as CustomTypesConfig['getTypeParser'],
  };
}

/** bytea as psql shows it: `\\x` and hex. */
const byteaText = (raw: Buffer): JsonValue => `\\x${raw.toString('hex')}`;

export interface QueryResult {
  readonly observed: Observed;
  readonly rowCount: number;
}

/**
 * The extended protocol allows one statement only, so `COMMIT; DELETE …` cannot leave the
 * READ ONLY transaction; a write inside it fails with the server's refusal.
 */
export async function runReadOnly(client: Client, text: string, params: readonly JsonValue[]): Promise<QueryResult> {
  await client.query('BEGIN READ ONLY');
  const single = { text, values: [...params], queryMode: 'extended' };
  const result = await client.query<Record<string, unknown>>(single);
  await client.query('ROLLBACK');
  const rows = result.rows.map((row) => toJson(row, byteaText) as { [key: string]: JsonValue });
  const first = rows[0];
  const firstField = result.fields[0]?.name;
  return {
    rowCount: rows.length,
    observed: {
      rows,
      row: first ?? null,
      value: first && firstField !== undefined ? (first[firstField] ?? null) : null,
      rowCount: rows.length,
    },
  };
}
