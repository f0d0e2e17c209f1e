import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** `ca` is PEM text (often via `${file:…}`) or the path of a PEM file. */
export const tlsOptions = z.strictObject({
  ca: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  serverName: z.string().min(1).optional(),
});

export type LoadedCa = { readonly ok: true; readonly pem: string | undefined } | { readonly ok: false; readonly error: string };

/**
 * The PEM text of a `ca` option: given inline, or read from the path. It replaces the system's
 * trusted CAs for this probe, as `curl --cacert` does.
 */
export async function loadCa(ca: string | undefined): Promise<LoadedCa> {
  if (ca === undefined) return { ok: true, pem: undefined };
  if (ca.includes('-----BEGIN')) return { ok: true, pem: ca };
  try {
    const pem = await readFile(ca.trim(), 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return { ok: false, error: `CA file holds no PEM certificate (${ca.trim()})` };
    return { ok: true, pem };
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    return { ok: false, error: `CA file ${missing ? 'not found' : 'not readable'} (${ca.trim()})` };
  }
}
