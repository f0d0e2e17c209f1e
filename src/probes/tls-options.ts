import { z } from 'zod';

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file. */
export const tlsOptions = z.strictObject({
  ca: z.string().optional(),
  insecure: z.boolean().optional(),
  serverName: z.string().optional(),
});
