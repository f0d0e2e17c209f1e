import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { CLIENT_HEADERS, headersSchema } from '../../net/http-headers.ts';
import { withoutUserinfo } from '../../net/url-credentials.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { urlHost } from '../../net/address.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

export const MAX_REDIRECTS = 10;

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^https?:\/\/[^/?#\s]+/i, 'must be an http:// or https:// URL'),
    z.refine((url) => URL.canParse(url), 'is not a valid URL (percent-encode reserved characters such as / or @ in a password)'),
  ), { description: 'http:// or https:// URL; user:password@ in it is sent as basic auth (prefer ${env:NAME} for the password)' }),
  method: z.meta(z.transformed(z.default(z.string().check(z.regex(/^[A-Za-z]+$/, 'must be an HTTP method name, letters only, such as GET, HEAD or POST')), 'GET'), (m) => m.toUpperCase()),
    { description: 'HTTP method, case-insensitive; default GET' }),
  headers: z.meta(headersSchema(CLIENT_HEADERS, 'is set or refused by the HTTP client, not by the suite'),
    { description: 'request headers, e.g. Authorization: Bearer ${env:API_TOKEN}; user-agent syncproof/VERSION unless given' }),
  body: z.meta(z.optional(z.union([z.string(), z.record(z.string(), z.unknown())])),
    { description: 'a string sent as is, or an object sent as JSON (content-type: application/json unless headers set one)' }),
  followRedirects: z.meta(z.default(z.boolean(), true),
    { description: 'follow up to 10 redirects; false observes the redirect itself (status, headers.location); default true' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'for every https:// connection of the attempt, redirects included: ca, insecure, serverName' }),
}).check(z.superRefine((s, ctx) => {
  // With redirects followed, `tls` serves an https:// URL an http:// one redirects to.
  if (s.tls !== undefined && !s.followRedirects && /^http:/i.test(s.url)) {
    ctx.addIssue({ code: 'custom', path: ['tls'], message: '`tls` would be ignored: the url is http:// and redirects are not followed' });
  }
}, afterKeyChecks));

export type HttpSpec = z.output<ReturnType<typeof spec>>;

export const http = defineProbe({
  type: 'http',
  spec,
  fields: {
    status: 'number', headers: 'any', body: 'string', json: 'any', tls: 'object',
    'tls.authorized': 'boolean', 'tls.expiresIn': 'duration', 'tls.issuer': 'string', 'tls.subject': 'string',
  },
  defaultExpect: ['status >= 200', 'status < 300'],
  hosts: (s) => [urlHost(s.url)],
  insecure: insecureTls,
  target: (s) => `${s.method} ${withoutUserinfo(s.url)}`,
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.undici);
    await import('undici');
    return (await import('../observers.ts')).http;
  },
});
