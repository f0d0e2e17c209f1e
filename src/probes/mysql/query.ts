// The user's `query`: run read-only, at most DATA_LIMITS.rows rows kept; and the server-side statement limits.
import type { JsonValue } from '../types.ts';
import { rethrowAbort, type MysqlSession, type SqlParam } from './connect.ts';
import { columnAsJson } from './values.ts';
import { DATA_LIMITS, formatBytes } from '../../net/wire-guard.ts';

/**
 * Our abort closes the socket; these end the session's statements on the server too, so a query or a
 * write held by a lock does not linger there after the attempt. MariaDB's `max_statement_time` bounds
 * any statement, MySQL's `max_execution_time` only SELECTs; the lock waits are whole seconds.
 */
export async function limitStatements(session: MysqlSession, mariadb: boolean, timeoutMs: number): Promise<void> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const statement = mariadb ? `max_statement_time = ${timeoutMs / 1000}` : `max_execution_time = ${Math.ceil(timeoutMs)}`;
  // sql_select_limit: a SELECT without its own LIMIT sends one row more than the probe keeps, not millions.
  await session.run(`SET SESSION ${statement}, lock_wait_timeout = ${seconds}, innodb_lock_wait_timeout = ${seconds}, ` +
    `sql_select_limit = ${DATA_LIMITS.rows + 1}`);
}

export interface QueryResult {
  readonly rows: JsonValue[];
  readonly row: JsonValue;
  readonly value: JsonValue;
  readonly rowCount: number;
  /** Why rows were left out (`rows cut at 1000 …`), when they were. */
  readonly cut?: string;
}

/**
 * Runs the user's statement in a READ ONLY transaction whose session default is read-only too: a
 * START TRANSACTION READ ONLY alone lets DDL through, as DDL commits the transaction implicitly
 * and then runs in the session's own (read-write) mode. A refusal throws with the server's words.
 */
export async function runReadOnly(session: MysqlSession, sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
  await session.run('SET SESSION TRANSACTION READ ONLY');
  await session.run('START TRANSACTION READ ONLY');
  const kept = keepFirstRows();
  try {
    await session.each(sql, params, kept.add);
  } finally {
    await session.run('ROLLBACK').catch(rethrowAbort);
  }
  await session.run('SET SESSION TRANSACTION READ WRITE');
  const rows = kept.rows.map((r) => columnAsJson({ ...r }));
  const row = rows[0] ?? null;
  const value = row && typeof row === 'object' && !Array.isArray(row) ? (Object.values(row)[0] ?? null) : null;
  return { rows, row, value, rowCount: rows.length, ...(kept.cut() ? { cut: kept.cut() } : {}) };
}

/**
 * The first result set's rows (a CALL answers with its result sets followed by a status header; the
 * first set counts), at most DATA_LIMITS.rows of them and DATA_LIMITS.keptBytes of their values; rows
 * past that are dropped as they arrive (sql_select_limit stops most before they are sent).
 */
function keepFirstRows(): { rows: Record<string, unknown>[]; add: (row: Record<string, unknown>, resultSet: number) => void; cut: () => string | undefined } {
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let cut: string | undefined;
  const add = (row: Record<string, unknown>, resultSet: number): void => {
    if (resultSet !== 0 || cut) return;
    const size = Object.values(row).reduce<number>((n, v) => n + (typeof v === 'string' || Buffer.isBuffer(v) ? v.length : 8), 0);
    if (rows.length === DATA_LIMITS.rows) cut = `rows cut at ${DATA_LIMITS.rows} (the query returned more)`;
    else if (bytes + size > DATA_LIMITS.keptBytes) cut = `rows cut at ${rows.length} (the first ${formatBytes(DATA_LIMITS.keptBytes)} of text)`;
    if (cut) return;
    bytes += size;
    rows.push(row);
  };
  return { rows, add, cut: () => cut };
}
