// Small credential files (a token, a CA, a kubeconfig): regular files only, read up to a bound, never blocking.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export const CREDENTIAL_FILE_LIMIT = 1024 * 1024;

export type ReadFile = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

export async function readCredentialFile(path: string, what: string): Promise<ReadFile> {
  let handle;
  try {
    // O_NONBLOCK: a FIFO put where a file was expected must not hold the attempt (it is refused below).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, error: `${what} ${code === 'ENOENT' ? 'not found' : 'not readable'} (${path})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, error: `${what} is not a regular file (${path})` };
    if (stat.size > CREDENTIAL_FILE_LIMIT) return { ok: false, error: `${what} is larger than 1 MiB (${path})` };
    const buffer = Buffer.alloc(Math.min(stat.size, CREDENTIAL_FILE_LIMIT));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { ok: true, text: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await handle.close();
  }
}
