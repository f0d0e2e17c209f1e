import { z } from 'zod';

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file, loaded by src/net/ca.ts. */
/** `tls: {insecure: true}`: certificates are not verified. */
export function insecureTls(spec: { readonly tls?: { readonly insecure?: boolean | undefined } | undefined }): boolean {
  return spec.tls?.insecure === true;
}

export const tlsOptions = z.strictObject({
  ca: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  serverName: z.string().min(1).optional(),
});
