// The `ca` option of every TLS-speaking probe and sink: PEM text (often via `${file:…}`) or the path
// of a PEM file. It replaces the system's trusted CAs for that connection, as `curl --cacert` does.
import { readFile } from 'node:fs/promises';

export type LoadedCa = { readonly ok: true; readonly pem: string | undefined } | { readonly ok: false; readonly error: string };

/** The PEM text: given inline, or read from the path; `pem` undefined without a `ca` (the system's CAs). */
export async function loadCa(ca: string | undefined): Promise<LoadedCa> {
  if (ca === undefined) return { ok: true, pem: undefined };
  if (ca.includes('-----BEGIN')) return { ok: true, pem: ca };
  const path = ca.trim();
  try {
    const pem = await readFile(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return { ok: false, error: `CA file holds no PEM certificate (${path})` };
    return { ok: true, pem };
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    return { ok: false, error: `CA file ${missing ? 'not found' : 'not readable'} (${path})` };
  }
}
