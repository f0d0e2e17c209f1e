import { z } from 'zod';

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file, loaded by src/net/ca.ts. */
export const tlsOptions = z.strictObject({
  ca: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  serverName: z.string().min(1).optional(),
});
