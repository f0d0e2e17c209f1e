// writeCheck: prove the server accepts durable writes (create the canary table, commit an upsert, read it back).
import { randomId } from '../../random-id.ts';
import type { QueryResult, QueryResultRow } from 'pg';
import { isServerError, type OpenClient } from '../../net/postgres/connect.ts';
import { writeWaitMs } from '../database.ts';
import { oneLine } from '../../one-line.ts';
import type { WriteResult } from '../types.ts';

const MAX_WARNINGS = 16;

/** `name` or `schema.name`, quoted, so the table is exactly the one written in the suite. */
function quoteTable(table: string): string {
  return table.split('.').map((part) => `"${part.replaceAll('"', '""')}"`).join('.');
}

/** A statement answered after the cancel was sent: the check stops there. */
class StoppedAfter {
  readonly step: string;
  constructor(step: string) { this.step = step; }
}

/**
 * The connection's last use: it is closed before this returns. A little before the attempt's end, a
 * CancelRequest stops whatever statement is still running, so a COMMIT stuck waiting for a synchronous
 * standby ends with the server's own word (a WARNING: committed locally, maybe not replicated) instead
 * of being cut off without a reason; statement_timeout cannot do this, the server disarms it before the
 * commit itself. The server applies a cancel to whatever the backend runs when it arrives, and a pooler
 * may deliver it long after it was sent, so once it is sent no further statement is started here:
 * the one in flight may still answer, then the check ends. Connection failures are rethrown: they are
 * attempt errors, not refusals.
 */
export async function checkWrite(conn: OpenClient, table: string, suite: string, deadline: number): Promise<WriteResult> {
  const { client } = conn;
  const name = quoteTable(table);
  const token = randomId();
  const warnings: string[] = [];
  const onNotice = (notice: { severity?: string; message?: string; detail?: string }): void => {
    // A few are enough to find the synchronous-replication one; a server flooding notices must not grow this.
    if (notice.severity === 'WARNING' && notice.message && warnings.length < MAX_WARNINGS) warnings.push(notice.detail ? `${notice.message}: ${notice.detail}` : notice.message);
  };
  client.on('notice', onNotice);
  const waitMs = writeWaitMs(deadline);
  let cancelled: Promise<void> | undefined;
  const canceller = setTimeout(() => { cancelled = conn.cancel(); }, waitMs);
  let step = '';
  const send = <R extends QueryResultRow>(what: string, text: string, values?: unknown[]): Promise<QueryResult<R>> => {
    if (cancelled) throw new StoppedAfter(step);
    step = what;
    return client.query<R>(text, values);
  };
  try {
    await send('BEGIN', 'BEGIN');
    // Looked up first: CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists.
    const existing = await send<{ found: boolean }>('the table lookup', 'SELECT to_regclass($1) IS NOT NULL AS found', [name]);
    if (!existing.rows[0]?.found) {
      await send('CREATE TABLE', `CREATE TABLE IF NOT EXISTS ${name} (suite text PRIMARY KEY, token text NOT NULL, written_at timestamptz NOT NULL)`);
    }
    await send('the upsert',
      `INSERT INTO ${name} (suite, token, written_at) VALUES ($1, $2, now())
       ON CONFLICT (suite) DO UPDATE SET token = EXCLUDED.token, written_at = EXCLUDED.written_at`,
      [suite, token],
    );
    await send('COMMIT', 'COMMIT');
    const unreplicated = warnings.find((w) => /synchronous replication/i.test(w));
    if (unreplicated) return { writable: false, reason: oneLine(unreplicated) };
    const back = await send<{ token: string }>('the read-back', `SELECT token FROM ${name} WHERE suite = $1`, [suite]);
    if (back.rows[0]?.token !== token) return { writable: false, reason: 'the canary row read back differs from the one written' };
    return { writable: true };
  } catch (error) {
    if (error instanceof StoppedAfter) {
      return { writable: false, reason: `did not finish in time: ${stoppedReason(error.step, waitMs)}` };
    }
    if (!isServerError(error)) throw error;
    const late = error.code === '57014' ? 'did not finish in time: ' : '';
    return { writable: false, reason: oneLine(late + error.message) };
  } finally {
    clearTimeout(canceller);
    await cancelled;
    client.off('notice', onNotice);
    await conn.close(); // also ends an open transaction: no ROLLBACK, which a late cancel could hit
  }
}

/** Below this the earlier steps (connecting, the state, the query) had used the attempt up. */
const NO_TIME_LEFT_MS = 200;

/** `waitMs` counts from the start of the write check, not of the statement the cancel was sent during. */
function stoppedReason(step: string, waitMs: number): string {
  const unread = step === 'COMMIT' ? ' (committed, not read back)' : '';
  if (waitMs < NO_TIME_LEFT_MS) return `no time left after the earlier steps (connecting, the query)${unread}`;
  return `stopped during ${step}, ${Math.round(waitMs)}ms into the write check${unread}`;
}

