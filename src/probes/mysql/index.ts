import { z } from 'zod';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { defineProbe, type AttemptContext, type Observation, type Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { CANARY_TABLE, DATA_LAYER_FIELDS, SQL_OBSERVED_ONLY_WITH, SQL_RESULT_FIELDS, checkParamsHaveQuery } from '../database.ts';
import { checkCaUsed, sqlConnectionKeys } from '../../net/sql-connection.ts';
import { formatDuration } from '../../duration.ts';
import { Aborted, URL_PARAMS, URL_SCHEME, openClient, endpointOf, sslModeOfUrl, targetOf } from './connect.ts';
import { describeMysqlError } from './errors.ts';
import { readState, type ServerStatus } from './state.ts';
import { limitStatements, runReadOnly } from './query.ts';
import { checkWrite } from './write.ts';
import { typeCast } from './values.ts';

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_$]{0,63}';

// Without `url` or `host` the probe connects to localhost:3306, a key beside `url` wins over the url's
// part, and a writeCheck without a database is refused by the server (`No database selected`), observed
// as `writable: false`.
const spec = z.strictObject({
  url: z.string().regex(URL_SCHEME, 'must be a mysql:// URL').superRefine(checkUrl)
    .refine(urlPartsDecodable, MALFORMED_ESCAPE).optional()
    .meta({ description: 'mysql://user@host:port/database[?ssl-mode=DISABLED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY]; prefer the password key to a password in the url' }),
  ...sqlConnectionKeys,
  writeCheck: z.union([
    z.boolean(),
    z.strictObject({
      table: z.string().regex(new RegExp(`^${IDENTIFIER}(\\.${IDENTIFIER})?$`), 'must be TABLE or DATABASE.TABLE')
        .meta({ description: "the canary table, TABLE or DATABASE.TABLE (default: syncproof_canary in the connection's database)" }),
    }),
  ]).optional().meta({ description: 'prove a durable write: upsert one row keyed by the suite (default table syncproof_canary); observed as writable' }),
}).superRefine((s, ctx) => {
  checkParamsHaveQuery(s, ctx);
  const url = s.url === undefined ? undefined : new URL(s.url);
  const sslMode = url?.searchParams.get('ssl-mode') ?? url?.searchParams.get('sslmode');
  const mode = s.ssl ?? (url ? sslModeOfUrl(url) : undefined) ?? 'disable';
  checkCaUsed(s, { mode, urlSetting: sslMode ? `ssl-mode=${sslMode}` : undefined, verifyingUrl: 'ssl-mode=VERIFY_CA/VERIFY_IDENTITY' }, ctx);
}, afterKeyChecks);

function checkUrl(text: string, ctx: z.RefinementCtx): void {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url) { ctx.addIssue({ code: 'custom', message: 'is not a valid URL' }); return; }
  for (const key of url.searchParams.keys()) {
    if (!(URL_PARAMS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', message: `unknown URL parameter "${key}" (known: ${URL_PARAMS.join(', ')})` });
  }
  const mode = sslModeOfUrl(url);
  if (mode !== undefined && mode !== 'disable' && mode !== 'require' && mode !== 'verify') ctx.addIssue({ code: 'custom', message: mode });
}

type MysqlSpec = z.output<typeof spec>;

export const mysql = defineProbe({
  type: 'mysql',
  spec,
  fields: {
    ...DATA_LAYER_FIELDS,
    'replication.ioRunning': 'boolean', 'replication.sqlRunning': 'boolean',
    ...SQL_RESULT_FIELDS,
  },
  observedOnlyWith: SQL_OBSERVED_ONLY_WITH,
  defaultExpect: ['connected'],
  hosts: (s) => [endpointOf(s).host],
  insecure: () => false,
  target: (s) => targetOf(s),
  observe,
  load: async () => { await import('mysql2'); },
});

async function observe(s: MysqlSpec, ctx: AttemptContext): Promise<Observation> {
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const address = endpointOf(s);
  const opened = await openClient(address, s.ca, typeCast, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return opened;
  const { session } = opened;
  try {
    const status = await readState(session);
    const observed: Observed = {
      connected: true, version: status.version, role: status.role, readOnly: status.readOnly, replication: { ...status.replication },
    };
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
