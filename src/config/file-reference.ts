// `${file:/path}`: a mounted Secret's key, read when the suite loads. Only a regular file of at most 1 MiB
// (a Secret's own limit): `${file:/dev/zero}` took 7 GB, and a FIFO blocked the process before its deadline.
import { resolve } from 'node:path';
import { fileProblem, MIB, readRegularFileSync } from '../regular-file.ts';
import { errorReason } from '../error-words.ts';

export const MAX_REFERENCED_FILE_BYTES = MIB;

/** The file's text with one trailing newline trimmed; a relative path is read relative to `baseDir`. */
export function readReferencedFile(path: string, baseDir: string): { ok: true; value: string } | { ok: false; message: string } {
  try {
    const read = readRegularFileSync(resolve(baseDir, path), MAX_REFERENCED_FILE_BYTES);
    if (!read.ok) return { ok: false, message: `cannot read file ${path} (${fileProblem(read, MAX_REFERENCED_FILE_BYTES)})` };
    return { ok: true, value: read.bytes.toString('utf8').replace(/\r?\n$/, '') };
  } catch (error) {
    return { ok: false, message: `cannot read file ${path} (${errorReason(error)})` };
  }
}
