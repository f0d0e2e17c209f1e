// The user's `query`: run inside a READ ONLY transaction the server enforces, rows turned into JSON values.
import type { Client, CustomTypesConfig, FieldDef, Query } from 'pg';
import { DATA_LIMITS, formatBytes } from '../../net/wire-guard.ts';
import { valueAsJson } from '../json-value.ts';
import type { JsonValue, Observed } from '../types.ts';

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
  /** Why rows were left out (`rows cut at 1000 …`), when they were. */
  readonly cut?: string;
}

interface Fetched {
  readonly rows: Record<string, unknown>[];
  readonly fields: FieldDef[];
  readonly cut: string | undefined;
}

interface QueryInternals {
  handleDataRow(msg: { fields: (string | null)[] }): void;
  handlePortalSuspended(connection: { sync(): void }): void;
}
type QueryClass = new (config: object, values: undefined, callback: (error: Error | undefined, result: Fetched & { rows: Record<string, unknown>[] }) => void) => Query;

/**
 * Asks the server for one row more than DATA_LIMITS.rows (Execute's row limit, so the rest is never
 * sent), keeps at most DATA_LIMITS.rows of them and DATA_LIMITS.keptBytes of their text, and says where it cut.
 */
function fetchCapped(client: Client, base: QueryClass, text: string, params: readonly JsonValue[]): Promise<Fetched> {
  const { rows: maxRows, keptBytes } = DATA_LIMITS;
  return new Promise((resolve, reject) => {
    let kept = 0;
    let bytes = 0;
    let cut: string | undefined;
    const original = base.prototype as unknown as QueryInternals;
    const query = new base({ text, values: [...params], queryMode: 'extended', rows: maxRows + 1 }, undefined, (error, result) => {
      if (error) reject(error);
      else resolve({ rows: result.rows, fields: result.fields, cut });
    }) as unknown as QueryInternals;
    query.handleDataRow = (msg) => {
      if (cut) return;
      const size = msg.fields.reduce((n, field) => n + (field?.length ?? 0), 0);
      if (kept === maxRows) cut = `rows cut at ${maxRows} (the query returned more)`;
      else if (bytes + size > keptBytes) cut = `rows cut at ${kept} (the first ${formatBytes(keptBytes)} of text)`;
      if (cut) return;
      kept++;
      bytes += size;
      original.handleDataRow.call(query, msg);
    };
    // More rows are waiting: end the portal (Sync) instead of fetching the next batch.
    query.handlePortalSuspended = (connection) => { cut ??= `rows cut at ${maxRows} (the query returned more)`; connection.sync(); };
    client.query(query as unknown as Query);
  });
}

/**
 * The extended protocol allows one statement only, so `COMMIT; DELETE …` cannot leave the
 * READ ONLY transaction; a write inside it fails with the server's refusal.
 */
export async function runReadOnly(client: Client, text: string, params: readonly JsonValue[]): Promise<QueryResult> {
  const { Query: base } = (await import('pg')).default;
  await client.query('BEGIN READ ONLY');
  const result = await fetchCapped(client, base as unknown as QueryClass, text, params);
  await client.query('ROLLBACK');
  const rows = result.rows.map((row) => valueAsJson(row, byteaText) as { [key: string]: JsonValue });
  const first = rows[0];
  const firstField = result.fields[0]?.name;
  return {
    rowCount: rows.length,
    ...(result.cut ? { cut: result.cut } : {}),
    observed: {
      rows,
      row: first ?? null,
      value: first && firstField !== undefined ? (first[firstField] ?? null) : null,
      rowCount: rows.length,
    },
  };
}
