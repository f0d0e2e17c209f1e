// webhook: POST of the run record as JSON, signed with HMAC-SHA256 over the exact body bytes when a secret is set.
import { z } from '../zod.ts';
import { duration } from '../spec-parts.ts';
import { VERSION } from '../version.ts';
import { CLIENT_HEADERS, headersSchema } from '../net/http-headers.ts';
import { postJson, postTarget } from './http-post.ts';
import { defineSink } from './types.ts';
import { urlHost } from '../net/address.ts';

export const SIGNATURE_HEADER = 'x-syncproof-signature';

/** Set by syncproof (a suite's value would be overwritten) or by the HTTP client (which refuses a request carrying them). */
const RESERVED = ['content-type', SIGNATURE_HEADER, 'x-syncproof-id', ...CLIENT_HEADERS];

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^https?:\/\//i, 'must be an http:// or https:// URL'),
    z.refine((u) => URL.canParse(u), 'is not a valid URL'),
  ), { description: 'http:// or https:// URL the record is POSTed to; user:password@ in it is sent as basic auth' }),
  headers: z.meta(headersSchema(RESERVED, 'is set by syncproof or its HTTP client, not by the suite'),
    { description: 'extra request headers, e.g. Authorization: Bearer ${env:OPS_TOKEN}; not Content-Type or X-Syncproof-*' }),
  secret: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'HMAC-SHA256 key: X-Syncproof-Signature: sha256=HEX over the exact body bytes; e.g. ${env:WEBHOOK_SECRET}' }),
  timeout: duration({ positive: true, default: '10s', description: "one attempt, from connecting to the answer's status and headers" }),
});

export type WebhookSpec = z.output<ReturnType<typeof spec>>;

/** `sha256=<hex>`: what a receiver recomputes over the raw body it got, with the shared secret. node:crypto is taken here, not imported, so `validate` never loads it. */
export function signature(body: Buffer, secret: string): string {
  return `sha256=${process.getBuiltinModule('node:crypto').createHmac('sha256', secret).update(body).digest('hex')}`;
}

export const webhook = defineSink({
  type: 'webhook',
  spec,
  defaultOn: 'always',
  hosts: (s) => [urlHost(s.url)],
  target: (s) => postTarget(s.url),
  deliver: async (record, s, ctx) => {
    const body = Buffer.from(JSON.stringify(record));
    const headers: Record<string, string> = { 'user-agent': `syncproof/${VERSION}` };
    for (const [name, value] of Object.entries(s.headers)) headers[name.toLowerCase()] = value;
    headers['x-syncproof-id'] = record.id;
    if (s.secret) headers[SIGNATURE_HEADER] = signature(body, s.secret);
    return postJson({ url: s.url, body, headers, signal: ctx.signal });
  },
});
