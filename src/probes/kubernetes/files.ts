// Small credential files (a token, a CA, a kubeconfig): regular files only, read up to a bound, off the loop's thread.
import { MIB, readRegularFile } from '../../regular-file.ts';

export const CREDENTIAL_FILE_LIMIT = MIB;

export type ReadFile = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

export async function readCredentialFile(path: string, what: string): Promise<ReadFile> {
  try {
    const read = await readRegularFile(path, CREDENTIAL_FILE_LIMIT);
    if (read.ok) return { ok: true, text: read.bytes.toString('utf8') };
    return { ok: false, error: `${what} ${read.problem === 'too large' ? 'is larger than 1 MiB' : 'is not a regular file'} (${path})` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, error: `${what} ${code === 'ENOENT' ? 'not found' : 'not readable'} (${path})` };
  }
}
