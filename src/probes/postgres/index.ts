import { z } from 'zod';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { authRefused, defineProbe, type AttemptContext, type JsonValue, type Observation, type Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { CANARY_TABLE, DATA_LAYER_FIELDS, SQL_OBSERVED_ONLY_WITH, SQL_RESULT_FIELDS, checkParamsHaveQuery } from '../database.ts';
import { sqlConnectionKeys } from '../../net/sql-connection.ts';
import { SSLMODE_MESSAGE, checkPgCa, describePgError, endpointOf, isPgAuthError, knownSslmode, openClient, targetOf, UNKNOWN_SSLMODE } from '../../net/postgres/connect.ts';
import { describeState, readState } from './state.ts';
import { runReadOnly, typeParsers } from './query.ts';
import { checkWrite } from './write.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

// Without `url` or `host` the probe connects to localhost (libpq's default), as user and database `postgres`.
const spec = z.strictObject({
  url: z.string().regex(/^postgres(ql)?:\/\/[^\s]*$/i, 'must be a postgres:// or postgresql:// URL')
    .refine((text) => URL.canParse(text), 'is not a valid URL')
    .refine(urlPartsDecodable, MALFORMED_ESCAPE)
    .refine(knownSslmode, SSLMODE_MESSAGE).meta(UNKNOWN_SSLMODE).optional()
    .meta({ description: 'postgres://user@host:port/database[?sslmode=…]; prefer the password key to a password in the url' }),
  ...sqlConnectionKeys,
  writeCheck: z.union([
    z.boolean(),
    z.strictObject({
      table: z.string().regex(IDENTIFIER, 'must be a table name, optionally schema-qualified (schema.table)')
        .meta({ description: 'the canary table, optionally schema.table, quoted as written; default syncproof_canary' }),
    }),
  ]).optional().meta({ description: 'prove a durable write: true or {table}; creates the table if missing, upserts one row keyed by the suite, reads it back; observed as writable' }),
}).superRefine((s, ctx) => {
  checkParamsHaveQuery(s, ctx);
  checkPgCa(s, ctx);
}, afterKeyChecks);

type PostgresSpec = z.output<typeof spec>;

export const postgres = defineProbe({
  type: 'postgres',
  spec,
  fields: {
    ...DATA_LAYER_FIELDS,
    ...SQL_RESULT_FIELDS,
  },
  observedOnlyWith: SQL_OBSERVED_ONLY_WITH,
  defaultExpect: ['connected'],
  hosts: (s) => [endpointOf(s).host],
  insecure: () => false,
  target: (s) => targetOf(s),
  observe: (s, ctx) => observePostgres(s, ctx),
  load: async () => { await import('pg'); },
});

async function observePostgres(s: PostgresSpec, ctx: AttemptContext): Promise<Observation> {
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
    const observed: Observed = {
      connected: true,
      version: state.version,
      role: state.role,
      readOnly: state.readOnly,
      replication: { lag: state.lagMs, replicas: state.replicas },
    };
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
