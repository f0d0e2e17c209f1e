// The postgres sink's table as a store: it connects as the sink does (src/net/postgres/connect.ts) and
// reads with the (suite, app, started_at) index the sink creates with the table.
import type { JsonValue } from '../probes/types.ts';
import { describePgError, importPg, openClient } from '../net/postgres/connect.ts';
import { endpointOf, targetOf } from '../net/postgres/endpoint.ts';
import { quoted } from '../sinks/postgres.ts';
import { parseStoredRecord, type StoredRecord } from './record-shape.ts';
import type { PostgresStoreSpec } from '../suite.ts';
import { abortReason, MIN_ID_PREFIX, type RecordStore, type RunQuery, type StoreResult } from './types.ts';

/** A stored record larger than this (as postgres keeps it) is not read back: a store is untrusted input. */
export const MAX_STORED_RECORD_BYTES = 16 << 20;

type Row = { id: string; record: JsonValue | null };

export function postgresStore(spec: PostgresStoreSpec, timeoutMs: number): RecordStore {
  const table = quoted(spec.table);
  const select = `SELECT id::text AS id, CASE WHEN pg_column_size(record) > ${MAX_STORED_RECORD_BYTES} THEN NULL ELSE record END AS record FROM ${table}`;
  const query = async <T>(signal: AbortSignal, empty: T, use: (run: (sql: string, params: unknown[]) => Promise<Row[]>) => Promise<T>): Promise<StoreResult<T>> => {
    const pg = await importPg();
    const endpoint = endpointOf(spec);
    const opened = await openClient(spec, endpoint, pg.types, signal, timeoutMs);
    if (!opened.ok) return { ok: false, error: signal.aborted ? abortReason(signal) : opened.error };
    try {
      return { ok: true, value: await use(async (sql, params) => (await opened.client.query<Row>(sql, params)).rows) };
    } catch (error) {
      if (error instanceof ReadError) return { ok: false, error: error.message };
      if (signal.aborted) return { ok: false, error: abortReason(signal) };
      // No table yet: no run was ever recorded there, which is an empty store, not a broken one.
      if (missingTable(error)) return { ok: true, value: empty };
      return { ok: false, error: describePgError(error, endpoint) };
    } finally {
      await opened.close();
    }
  };
  return {
    target: `${targetOf(spec)} table ${spec.table}`,
    runs: (q, signal) => query(signal, [], async (run) => records(await run(`${select} ${WHERE} ORDER BY started_at DESC LIMIT $5`, params(q)))),
    get: (id, signal) => query(signal, null, async (run) => {
      // A prefix of a uuid: compared as text, so the primary key is read in full only for a whole id.
      const rows = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
        ? await run(`${select} WHERE id = $1::uuid`, [id])
        : id.length >= MIN_ID_PREFIX && /^[0-9a-f-]+$/i.test(id) ? await run(`${select} WHERE id::text LIKE $1 LIMIT 2`, [`${id.toLowerCase()}%`]) : [];
      if (rows.length > 1) throw new ReadError(`run id ${id} is ambiguous: give more of it`);
      const [row] = rows;
      if (!row) return null;
      const record = parseStoredRecord(row.record);
      if (!record) throw new ReadError(`run ${row.id} in ${spec.table} is not a syncproof record (or larger than ${MAX_STORED_RECORD_BYTES >> 20} MiB)`);
      return { record, raw: row.record };
    }),
  };
}

/** `$1` suite, `$2` whether to filter on app, `$3` app, `$4` verdict, `$5` limit. */
const WHERE = 'WHERE ($1::text IS NULL OR suite = $1) AND (NOT $2::boolean OR app IS NOT DISTINCT FROM $3::text) AND ($4::text IS NULL OR verdict = $4)';

function params(q: RunQuery): unknown[] {
  return [q.suite ?? null, q.app !== undefined, q.app ?? null, q.verdict ?? null, q.limit];
}

/** Rows that are not records (written by hand, cut by the size bound) are skipped. */
function records(rows: readonly Row[]): StoredRecord[] {
  return rows.flatMap((row) => {
    const record = parseStoredRecord(row.record);
    return record ? [record] : [];
  });
}

/** What the store holds is not what was asked for: reported as it is, not as a database error. */
class ReadError extends Error {}

function missingTable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '42P01';
}
