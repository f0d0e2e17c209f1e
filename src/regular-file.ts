// Files syncproof reads because a suite names them (suite files, `${file:…}`, a `ca` path): regular files
// of a bounded size only. A FIFO blocks open() and read() until a writer comes (the event loop with it,
// so neither SIGTERM nor the deadline could end the run), and /dev/zero never ends: opened with
// O_NONBLOCK and checked with fstat before one byte is read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export type FileRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly problem: 'not regular'; readonly kind: string }
  | { readonly ok: false; readonly problem: 'too large' };

/** `a FIFO`, `a character device`…: what a path is when it is not a regular file. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's bytes, at most `limit` (never reading more than one byte past it). Throws as fs does (ENOENT…). */
export function readRegularFileSync(path: string, limit: number): FileRead {
  const fd = openSync(path, FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, problem: 'not regular', kind: kindOf(stats) };
    if (stats.size > limit) return { ok: false, problem: 'too large' };
    // Up to one byte past the limit: /proc files say 0 and a file may grow between fstat and read.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= limit;) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    return length > limit ? { ok: false, problem: 'too large' } : { ok: true, bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

/**
 * readRegularFileSync off the event loop's thread (libuv's pool), for a file read during a run. node:fs/promises
 * is taken here, not imported: `validate` reads the suite with the synchronous calls and never loads it.
 */
export async function readRegularFile(path: string, limit: number): Promise<FileRead> {
  const handle = await process.getBuiltinModule('node:fs/promises').open(path, FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, problem: 'not regular', kind: kindOf(stats) };
    if (stats.size > limit) return { ok: false, problem: 'too large' };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= limit;) {
      ({ bytesRead: n } = await handle.read(buffer, length, buffer.length - length, null));
      length += n;
    }
    return length > limit ? { ok: false, problem: 'too large' } : { ok: true, bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}

export const MIB = 1024 * 1024;

/** `is a FIFO, not a regular file`, `is larger than 1 MiB` (or `64 KiB`). */
export function fileProblem(read: Exclude<FileRead, { ok: true }>, limit: number): string {
  const size = limit % MIB === 0 ? `${limit / MIB} MiB` : limit % 1024 === 0 ? `${limit / 1024} KiB` : `${limit} bytes`;
  if (read.problem === 'too large') return `it is larger than ${size}`;
  return read.kind === 'a directory' ? 'it is a directory' : `it is ${read.kind}, not a regular file`;
}
