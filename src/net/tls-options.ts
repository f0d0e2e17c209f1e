import { z } from '../zod.ts';
import { onFirstUse } from '../spec-parts.ts';

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file, loaded by src/net/ca.ts. */
/** `tls: {insecure: true}`: certificates are not verified. */
export function insecureTls(spec: { readonly tls?: { readonly insecure?: boolean | undefined } | undefined }): boolean {
  return spec.tls?.insecure === true;
}

export const tlsOptions = onFirstUse(() => z.strictObject({
  ca: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: "PEM text (e.g. ${file:/etc/ca/ca.crt}) or the path of a PEM file of at most 1 MiB; replaces the system's trusted CAs" }),
  insecure: z.meta(z.optional(z.boolean()),
    { description: 'true: accept an untrusted, expired or mismatched certificate (not verified); default false' }),
  serverName: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: "SNI and the name the certificate must match; default: the target's host (none for an IP address)" }),
}));
