// The `ca` option of every TLS-speaking probe and sink: PEM text (often via `${file:…}`) or the path
// of a PEM file. It replaces the system's trusted CAs for that connection, as `curl --cacert` does.
import { fileProblem, MIB, readRegularFile } from '../regular-file.ts';

export type LoadedCa = { readonly ok: true; readonly pem: string | undefined } | { readonly ok: false; readonly error: string };

/** A CA bundle: the system's whole set (Mozilla's, ~150 certificates) is ~220 KB. */
export const MAX_CA_BYTES = MIB;

/**
 * The PEM text: given inline, or read from the path (a regular file of at most 1 MiB: `ca: /dev/zero`
 * took 622 MB, and a FIFO blocked the attempt past every timeout); `pem` undefined without a `ca`.
 */
export async function loadCa(ca: string | undefined): Promise<LoadedCa> {
  if (ca === undefined) return { ok: true, pem: undefined };
  if (ca.includes('-----BEGIN')) return { ok: true, pem: ca };
  const path = ca.trim();
  try {
    const read = await readRegularFile(path, MAX_CA_BYTES);
    if (!read.ok) return { ok: false, error: `CA file not readable: ${fileProblem(read, MAX_CA_BYTES)} (${path})` };
    const pem = read.bytes.toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return { ok: false, error: `CA file holds no PEM certificate (${path})` };
    return { ok: true, pem };
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    return { ok: false, error: `CA file ${missing ? 'not found' : 'not readable'} (${path})` };
  }
}
