import { z } from '../../zod.ts';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { defineProbe } from '../types.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { DATA_LAYER_FIELDS, SQL_OBSERVED_ONLY_WITH, SQL_RESULT_FIELDS, checkParamsHaveQuery } from '../database.ts';
import { sqlConnectionKeys } from '../../net/sql-connection.ts';
import { SSLMODE_MESSAGE, checkPgCa, endpointOf, knownSslmode, targetOf, UNKNOWN_SSLMODE } from '../../net/postgres/endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

// Without `url` or `host` the probe connects to localhost (libpq's default), as user and database `postgres`.
const spec = () => z.strictObject({
  url: z.meta(z.optional(z.meta(z.string().check(
    z.regex(/^postgres(ql)?:\/\/[^\s]*$/i, 'must be a postgres:// or postgresql:// URL'),
    z.refine((text) => URL.canParse(text), 'is not a valid URL'),
    z.refine(urlPartsDecodable, MALFORMED_ESCAPE),
    z.refine(knownSslmode, SSLMODE_MESSAGE),
  ), UNKNOWN_SSLMODE)), { description: 'postgres://user@host:port/database[?sslmode=…]; prefer the password key to a password in the url' }),
  ...sqlConnectionKeys(),
  writeCheck: z.meta(z.optional(z.union([
    z.boolean(),
    z.strictObject({
      table: z.meta(z.string().check(z.regex(IDENTIFIER, 'must be a table name, optionally schema-qualified (schema.table)')),
        { description: 'the canary table, optionally schema.table, quoted as written; default syncproof_canary' }),
    }),
  ])), { description: 'prove a durable write: true or {table}; creates the table if missing, upserts one row keyed by the suite, reads it back; observed as writable' }),
}).check(z.superRefine((s, ctx) => {
  checkParamsHaveQuery(s, ctx);
  checkPgCa(s, ctx);
}, afterKeyChecks));

export type PostgresSpec = z.output<ReturnType<typeof spec>>;

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
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.pg);
    await import('pg');
    return (await import('../observers.ts')).postgres;
  },
});
