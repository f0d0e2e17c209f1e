// Request headers as a suite writes them (the http probe's and the webhook sink's `headers`): names and
// values undici would refuse, and names the sender sets itself, are configuration errors, not failed attempts.
import { z } from '../zod.ts';
import { redact } from '../secrets.ts';

/** RFC 9110 token: what undici accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** undici's own test (tab, visible ASCII, Latin-1); anything else fails every attempt with `invalid … header`. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers undici frames itself from the body (Content-Length) or refuses outright in a request. */
export const CLIENT_HEADERS = ['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect'] as const;

/**
 * A `headers` mapping; `reserved` (lower-case names) are refused with `reason`. Names and values are checked
 * here rather than by the record's key and value schemas (whose patterns are for the JSON Schema): zod reports a
 * key schema's failure as `Invalid key in record`, without its message.
 */
export function headersSchema(reserved: readonly string[], reason: string) {
  const refused = new Set(reserved);
  const headers = z.record(z.meta(z.string(), { pattern: HEADER_NAME.source }), z.meta(z.string(), { pattern: HEADER_VALUE.source }));
  return z.default(headers.check(z.superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        const problem = !HEADER_NAME.test(name) ? 'is not a valid header name'
          : refused.has(name.toLowerCase()) ? reason
          : /[\r\n]/.test(value) ? 'must be a single line'
          : !HEADER_VALUE.test(value) ? 'must not contain control characters or characters beyond U+00FF (the HTTP client refuses them)'
          : undefined;
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
      }
    })), {});
}

/** Names that carry a credential by convention: `X-Api-Key`, `PRIVATE-TOKEN`, `X-Auth-Token`, `X-Vault-Token`… */
const CREDENTIAL_NAME = /auth|token|key|secret|session|passw|credential|cookie|signature/i;

/**
 * The request headers that carry a secret: by name, or because their value holds an interpolated secret.
 * They are not sent on across a redirect to another origin (undici drops only Authorization and Cookie).
 */
export function secretHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).filter(([name, value]) => CREDENTIAL_NAME.test(name) || redact(value) !== value).map(([name]) => name.toLowerCase());
}
