// The keys of a postgres table syncproof writes records to (the postgres sink) and reads them from (a
// postgres store): the connection as the postgres probe makes it, and the table.
import { z } from '../../zod.ts';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../url-credentials.ts';
import { sqlConnectionKeys } from '../sql-connection.ts';
import { afterKeyChecks, onFirstUse } from '../../spec-parts.ts';
import { checkPgCa, knownSslmode, SSLMODE_MESSAGE, UNKNOWN_SSLMODE } from './endpoint.ts';

const NAME = '[a-z_][a-z0-9_]{0,62}';

export const postgresTableSpec = onFirstUse(() => {
  const keys = sqlConnectionKeys();
  return z.strictObject({
    url: z.meta(z.string().check(
      z.regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// URL'), z.refine((u) => URL.canParse(u), 'is not a valid URL'),
      z.refine(urlPartsDecodable, MALFORMED_ESCAPE), z.refine(knownSslmode, SSLMODE_MESSAGE),
    ), { ...UNKNOWN_SSLMODE, description: 'postgres://user@host:5432/database[?sslmode=…], connected to as the postgres probe does' }),
    password: keys.password,
    ssl: keys.ssl,
    ca: keys.ca,
    table: z.meta(z.default(
      z.string().check(z.regex(new RegExp(`^${NAME}(\\.${NAME})?$`), 'must be a lower-case SQL name (a-z, 0-9, _), optionally schema-qualified like audit.syncproof_runs')),
      'syncproof_runs',
    ), { description: 'the table of run records, one row per run (the sink creates it if missing); a-z, 0-9, _, optionally schema.table; default syncproof_runs' }),
  }).check(z.superRefine(checkPgCa, afterKeyChecks));
});

export type PostgresTableSpec = z.output<ReturnType<typeof postgresTableSpec>>;
