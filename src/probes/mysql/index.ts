import { z } from '../../zod.ts';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { defineProbe } from '../types.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { DATA_LAYER_FIELDS, SQL_OBSERVED_ONLY_WITH, SQL_RESULT_FIELDS, checkParamsHaveQuery } from '../database.ts';
import { checkCaUsed, sqlConnectionKeys } from '../../net/sql-connection.ts';
import { URL_PARAMS, URL_SCHEME, endpointOf, sslModeOfUrl, targetOf } from './endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_$]{0,63}';

// Without `url` or `host` the probe connects to localhost:3306, a key beside `url` wins over the url's
// part, and a writeCheck without a database is refused by the server (`No database selected`), observed
// as `writable: false`.
const spec = () => z.strictObject({
  url: z.meta(z.optional(z.string().check(
    z.regex(URL_SCHEME, 'must be a mysql:// URL'),
    z.superRefine(checkUrl),
    z.refine(urlPartsDecodable, MALFORMED_ESCAPE),
  )), { description: 'mysql://user@host:port/database[?ssl-mode=DISABLED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY]; prefer the password key to a password in the url' }),
  ...sqlConnectionKeys(),
  writeCheck: z.meta(z.optional(z.union([
    z.boolean(),
    z.strictObject({
      table: z.meta(z.string().check(z.regex(new RegExp(`^${IDENTIFIER}(\\.${IDENTIFIER})?$`), 'must be TABLE or DATABASE.TABLE')),
        { description: "the canary table, TABLE or DATABASE.TABLE (default: syncproof_canary in the connection's database)" }),
    }),
  ])), { description: 'prove a durable write: upsert one row keyed by the suite (default table syncproof_canary); observed as writable' }),
}).check(z.superRefine((s, ctx) => {
  checkParamsHaveQuery(s, ctx);
  const url = s.url === undefined ? undefined : new URL(s.url);
  const sslMode = url?.searchParams.get('ssl-mode') ?? url?.searchParams.get('sslmode');
  const mode = s.ssl ?? (url ? sslModeOfUrl(url) : undefined) ?? 'disable';
  checkCaUsed(s, { mode, urlSetting: sslMode ? `ssl-mode=${sslMode}` : undefined, verifyingUrl: 'ssl-mode=VERIFY_CA/VERIFY_IDENTITY' }, ctx);
}, afterKeyChecks));

function checkUrl(text: string, ctx: z.RefinementCtx): void {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url) { ctx.addIssue({ code: 'custom', message: 'is not a valid URL' }); return; }
  for (const key of url.searchParams.keys()) {
    if (!(URL_PARAMS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', message: `unknown URL parameter "${key}" (known: ${URL_PARAMS.join(', ')})` });
  }
  const mode = sslModeOfUrl(url);
  if (mode !== undefined && mode !== 'disable' && mode !== 'require' && mode !== 'verify') ctx.addIssue({ code: 'custom', message: mode });
}

export type MysqlSpec = z.output<ReturnType<typeof spec>>;

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
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.mysql2);
    await import('mysql2');
    return (await import('../observers.ts')).mysql;
  },
});
