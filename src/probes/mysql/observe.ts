import type { AttemptContext, Observation, Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { CANARY_TABLE, serverObserved } from '../database.ts';
import { formatDuration } from '../../duration.ts';
import { Aborted, openClient } from './connect.ts';
import { endpointOf } from './endpoint.ts';
import { describeMysqlError } from './errors.ts';
import { readState, type ServerStatus } from './state.ts';
import { limitStatements, runReadOnly } from './query.ts';
import { checkWrite } from './write.ts';
import { typeCast } from './values.ts';
import type { MysqlSpec } from './index.ts';

export async function observeMysql(s: MysqlSpec, ctx: AttemptContext): Promise<Observation> {
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const address = endpointOf(s);
  const opened = await openClient(address, s.ca, typeCast, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return opened;
  const { session } = opened;
  try {
    const status = await readState(session);
    const observed = serverObserved(status, { ...status.replication });
    if (s.query !== undefined || s.writeCheck) await limitStatements(session, /mariadb/i.test(status.version), ctx.timeoutMs);
    const notes = [...status.notes];
    if (status.superuser && (s.query !== undefined || s.writeCheck)) notes.push(superuserNote(status.account));
    if (s.query !== undefined) {
      const { cut, ...result } = await runReadOnly(session, s.query, s.params ?? []);
      Object.assign(observed, result);
      if (cut) notes.push(cut);
    }
    if (s.writeCheck) {
      const table = typeof s.writeCheck === 'object' ? s.writeCheck.table : CANARY_TABLE;
      const written = await writeCheckInTime(session, table, ctx);
      observed.writable = written.writable;
      if (!written.writable) notes.push(written.reason);
    }
    return { ok: true, observed, summary: summarize(status, observed), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (error instanceof Aborted || ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
    return { ok: false, error: describeMysqlError(error, address) };
  } finally {
    await session.close();
  }
}

/** A write the server holds (a lock, a stalled commit) until the timeout is observed as not writable. */
async function writeCheckInTime(session: Parameters<typeof checkWrite>[0], table: string, ctx: AttemptContext) {
  try {
    return await checkWrite(session, table, ctx.suite);
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
    return { writable: false as const, reason: `write not committed within ${formatDuration(ctx.timeoutMs)}` };
  }
}

/** `primary, 1 replica, writable` · `replica, lag 120ms` · `replica, SQL thread stopped`. */
function summarize(status: ServerStatus, observed: Observed): string {
  const parts: string[] = [status.role ?? 'role unknown'];
  if (status.readOnly && status.role === 'primary') parts[0] = 'primary (read-only)';
  const { lag, replicas, ioRunning, sqlRunning } = status.replication;
  if (status.role === 'replica') {
    if (sqlRunning === false) parts.push('SQL thread stopped');
    if (ioRunning === false) parts.push('IO thread stopped');
    if (lag !== null) parts.push(`lag ${formatDuration(lag)}`);
  } else if (replicas !== null) {
    parts.push(`${replicas} replica${replicas === 1 ? '' : 's'}`);
  }
  if (observed.writable !== undefined) parts.push(observed.writable ? 'writable' : 'not writable');
  if (typeof observed.rowCount === 'number') parts.push(`${observed.rowCount} row${observed.rowCount === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** READ ONLY stops data writes; an account with SUPER can still CALL a procedure that commits, or repoint replication. */
function superuserNote(account: string): string {
  return `runs as ${account} with SUPER: read-only stops data writes, not a CALLed procedure that commits or CHANGE MASTER (use a least-privileged user)`;
}
