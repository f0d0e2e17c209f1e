// postgres: one row per run in a table created if missing, idempotent on the record's id. It connects
// exactly as the postgres probe does (src/net/postgres/connect.ts): the same url, password and TLS
// rules, never PGPASSWORD or ~/.pgpass, one socket destroyed on abort. The delivery is a module of its
// own (postgres-delivery.ts), imported when a record is sent: `validate` never loads the connection code.
import { endpointOf, targetOf } from '../net/postgres/endpoint.ts';
import { postgresTableSpec } from '../net/postgres/table-spec.ts';
import { defineSink } from './types.ts';

export const postgres = defineSink({
  type: 'postgres',
  spec: postgresTableSpec,
  defaultOn: 'always',
  hosts: (s) => [endpointOf(s).host],
  target: (s) => `${targetOf(s)} table ${s.table}`,
  deliver: async (record, s, ctx) => (await import('./postgres-delivery.ts')).deliverToPostgres(record, s, ctx),
});

/** `audit.runs` → `"audit"."runs"`: the name is validated lower-case, so quoting only guards reserved words. */
export function quoted(table: string): string {
  return table.split('.').map((part) => `"${part}"`).join('.');
}
