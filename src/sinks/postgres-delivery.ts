// The postgres sink's delivery (postgres.ts): imported when a record is sent, with the connection code.
import { WireRefusal } from '../net/wire-guard.ts';
import { describePgError, importPg, openClient, PasswordRequired } from '../net/postgres/connect.ts';
import { endpointOf } from '../net/postgres/endpoint.ts';
import type { PostgresTableSpec } from '../net/postgres/table-spec.ts';
import type { RunRecord } from '../record/types.ts';
import { quoted } from './postgres.ts';
import { isCertificateError } from './transient.ts';
import type { DeliveryAttempt, DeliveryContext } from './types.ts';

export async function deliverToPostgres(record: RunRecord, s: PostgresTableSpec, ctx: DeliveryContext): Promise<DeliveryAttempt> {
  const pg = await importPg();
  const endpoint = endpointOf(s);
  const opened = await openClient(s, endpoint, pg.types, ctx.signal, ctx.timeoutMs);
  // No cause: the CA file could not be read, which another attempt will not change.
  if (!opened.ok) return { ok: false, error: opened.error, retryable: opened.cause !== undefined && isRetryable(opened.cause) };
  const { client } = opened;
  try {
    // CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists: look first,
    // so a role granted only INSERT on a table made beforehand can record.
    const found = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [quoted(s.table)]);
    if (!found.rows[0]?.present) await client.query(createTable(s.table));
    await client.query(insertRun(s.table), runRow(record));
    return { ok: true };
  } catch (error) {
    return { ok: false, error: describePgError(error, endpoint), retryable: isRetryable(error) };
  } finally {
    await opened.close();
  }
}

/** SQLSTATE classes that may pass on their own: connection, transaction rollback, resources, operator intervention, system. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);
/** Two sinks creating the same table at once collide on the catalog; the next attempt finds it. */
const CREATE_RACE = new Set(['23505', '42P07']);

/** Network errors and transient server states are worth another attempt; TLS, auth, SQL errors and a reply syncproof refuses to read are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof PasswordRequired || error instanceof WireRefusal || isCertificateError(error) || /does not support SSL/.test(String(error))) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return TRANSIENT_CLASSES.has(code.slice(0, 2)) || CREATE_RACE.has(code);
}

export function createTable(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoted(table)} (
  id uuid PRIMARY KEY,
  suite text NOT NULL,
  app text,
  revision text,
  verdict text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS "${indexName(table)}" ON ${quoted(table)} (suite, app, started_at DESC)`;
}

/** The store's index (src/store/postgres.ts: the latest runs of a suite and app); created in the table's schema. */
export function indexName(table: string): string {
  return `${table.split('.').at(-1)!.slice(0, 48)}_suite_app_started`;
}

// No conflict target: `ON CONFLICT (id)` would need SELECT on the table too; id is its only unique key.
function insertRun(table: string): string {
  return `INSERT INTO ${quoted(table)} (id, suite, app, revision, verdict, started_at, finished_at, record)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING`;
}

function runRow(record: RunRecord): unknown[] {
  // jsonb refuses \u0000, which an observed body may hold.
  const json = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\0', '\uFFFD') : value));
  return [record.id, record.suite, record.app.name, record.app.revision, record.verdict, record.startedAt, record.finishedAt, json];
}
