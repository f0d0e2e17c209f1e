// The connection keys and TLS rule the SQL engines share: the postgres and mysql probes and the postgres sink.
import { z } from '../zod.ts';
import { onFirstUse } from '../spec-parts.ts';

/** The `ssl` key: TLS off, on without checks, or verified (CA and host name). */
export type SslMode = 'disable' | 'require' | 'verify';

/** The connection keys of a SQL spec as the connect code reads them (the zod keys below, and `url`). */
export interface SqlConnectSpec {
  readonly url?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly database?: string | undefined;
  readonly password?: string | undefined;
  readonly ssl?: SslMode | undefined;
  readonly ca?: string | undefined;
}

/** Keys beside `url` that postgres and mysql share; a key given beside `url` wins over the url's part. */
export const sqlConnectionKeys = onFirstUse(() => ({
  host: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'server host (default localhost); wins over the url' }),
  port: z.meta(z.optional(z.number().check(z.int(), z.gte(1), z.lte(65535))),
    { description: "server port (default the engine's); wins over the url" }),
  user: z.meta(z.optional(z.string().check(z.minLength(1))), { description: 'user to log in as; wins over the url' }),
  database: z.meta(z.optional(z.string().check(z.minLength(1))), { description: 'database; wins over the url' }),
  password: z.meta(z.optional(z.string()),
    { description: 'password; write ${env:NAME} or ${file:/path} so it is kept secret' }),
  ssl: z.meta(z.optional(z.enum(['disable', 'require', 'verify'] satisfies SslMode[])),
    { description: "TLS: disable, require (not checked) or verify (CA and host name); default: the url's mode, else disable" }),
  ca: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'PEM text or a file path of the CA for ssl: verify (default: the system CAs)' }),
  query: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'one SQL statement run in a read-only transaction; observed as rows, row, value, rowCount' }),
  params: z.meta(z.optional(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    { description: 'values bound to the placeholders of query' }),
}));

/** The TLS mode a SQL connection ends up with, and the url setting (`sslmode=prefer`) it came from when no `ssl` key chose it. */
export interface SqlTls {
  readonly mode: string;
  readonly urlSetting: string | undefined;
  /** The url settings that verify, as the engine spells them: `sslmode=verify-full/verify-ca`. */
  readonly verifyingUrl: string;
}

/** `ca` is read only when the certificate is checked: with TLS off or unchecked it would be ignored, so it is refused. */
export function checkCaUsed(s: { readonly ssl?: string | undefined; readonly ca?: string | undefined }, tls: SqlTls, ctx: z.RefinementCtx): void {
  if (s.ca === undefined || (tls.mode !== 'disable' && tls.mode !== 'require')) return;
  const from = s.ssl !== undefined ? `ssl: ${s.ssl}` : tls.urlSetting ? `the url's ${tls.urlSetting}` : 'no `ssl` (TLS off)';
  ctx.addIssue({ code: 'custom', path: ['ca'], message: `\`ca\` would be ignored with ${from}: only ssl: verify (or ${tls.verifyingUrl}) checks the certificate` });
}
