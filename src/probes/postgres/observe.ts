import { authRefused, type AttemptContext, type JsonValue, type Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { CANARY_TABLE, serverObserved } from '../database.ts';
import { endpointOf } from '../../net/postgres/endpoint.ts';
import { describePgError, isPgAuthError, openClient } from '../../net/postgres/connect.ts';
import { describeState, readState } from './state.ts';
import { runReadOnly, typeParsers } from './query.ts';
import { checkWrite } from './write.ts';
import type { PostgresSpec } from './index.ts';

export async function observePostgres(s: PostgresSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const deadline = Date.now() + ctx.timeoutMs;
  const endpoint = endpointOf(s);
  const pg = (await import('pg')).default;
  const opened = await openClient(s, endpoint, typeParsers(pg.types), ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return ctx.signal.aborted ? timedOut : { ok: false, error: opened.error, ...authRefused(isPgAuthError(opened.cause)) };
  const { client } = opened;
  try {
    const state = await readState(client);
    const observed = serverObserved(state, { lag: state.lagMs, replicas: state.replicas });
    const notes: string[] = [];
    const parts = [describeState(state)];
    if (state.hiddenReplicas > 0) notes.push(`${state.hiddenReplicas} replication connection(s) hidden from user "${endpoint.user}" (grant pg_monitor)`);
    if (state.superuser && (s.query !== undefined || s.writeCheck)) notes.push(superuserNote(endpoint.user));
    let rows = '';
    if (s.query !== undefined) {
      const result = await runReadOnly(client, s.query, (s.params ?? []) as JsonValue[]);
      Object.assign(observed, result.observed);
      rows = `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}`;
      if (result.cut) notes.push(result.cut);
    }
    // Last: the write check may cancel a statement, and closes the connection so that cancel can hit nothing after it.
    if (s.writeCheck) {
      const table = s.writeCheck === true ? CANARY_TABLE : s.writeCheck.table;
      const write = await checkWrite(opened, table, ctx.suite, deadline);
      if (ctx.signal.aborted) return timedOut;
      observed['writable'] = write.writable;
      parts.push(write.writable ? 'writable' : 'not writable');
      if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
    }
    if (rows) parts.push(rows);
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (ctx.signal.aborted || (error as { code?: unknown }).code === '57014') return timedOut;
    return { ok: false, error: describePgError(error, endpoint) };
  } finally {
    await opened.close();
  }
}

/** READ ONLY stops data writes; a superuser can still run programs, write files or make replication slots from a query. */
function superuserNote(user: string): string {
  return `runs as superuser "${user}": read-only stops data writes, not COPY TO PROGRAM, dblink_exec or replication slots (use a least-privileged role)`;
}
