// postgres: one row per run in a table created if missing, idempotent on the record's id.
import { Socket } from 'node:net';
import { z } from 'zod';
import { describeError } from '../probes/errors.ts';
import type { RunRecord } from '../record/types.ts';
import { redact } from '../secrets.ts';
import { clientConfig, connectionTarget, isRetryable } from './postgres-connection.ts';
import { defineSink } from './types.ts';

const NAME = '[a-z_][a-z0-9_]{0,62}';

const spec = z.strictObject({
  url: z.string().regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// URL').refine((u) => URL.canParse(u), 'is not a valid URL'),
  password: z.string().optional(),
  ssl: z.enum(['disable', 'require', 'verify']).optional(),
  ca: z.string().optional(),
  table: z
    .string()
    .regex(new RegExp(`^${NAME}(\\.${NAME})?$`), 'must be a lower-case SQL name (a-z, 0-9, _), optionally schema-qualified like audit.syncproof_runs')
    .default('syncproof_runs'),
});

export const postgres = defineSink({
  type: 'postgres',
  spec,
  defaultOn: 'always',
  target: (s) => `${connectionTarget(s)} table ${s.table}`,
  deliver: async (record, s, ctx) => {
    const { default: pg } = await import('pg');
    // Our own socket, so an abort can destroy it even mid-handshake, where pg's end() would wait for the server.
    const socket = new Socket();
    let client: InstanceType<typeof pg.Client>;
    try {
      client = new pg.Client({ ...clientConfig(s), stream: () => socket });
    } catch (error) {
      return { ok: false, error: redact(`cannot connect: ${describeError(error)}`), retryable: false };
    }
    client.on('error', () => {}); // a socket dying after the attempt is over is not news
    const stop = () => socket.destroy();
    ctx.signal.addEventListener('abort', stop, { once: true });
    try {
      ctx.signal.throwIfAborted();
      await client.connect();
      // CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists: look first,
      // so a role granted only INSERT on a table made beforehand can record.
      const found = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [quoted(s.table)]);
      if (!found.rows[0]?.present) await client.query(createTable(s.table));
      await client.query(insertRun(s.table), runRow(record));
      return { ok: true };
    } catch (error) {
      return { ok: false, error: redact(describeError(error, new URL(s.url).host)), retryable: isRetryable(error) };
    } finally {
      ctx.signal.removeEventListener('abort', stop);
      await client.end().catch(() => {});
      socket.destroy();
    }
  },
});

/** `audit.runs` → `"audit"."runs"`: the name is validated lower-case, so quoting only guards reserved words. */
function quoted(table: string): string {
  return table.split('.').map((part) => `"${part}"`).join('.');
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
)`;
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
