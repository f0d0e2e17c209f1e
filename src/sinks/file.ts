// file: the record as JSON, written atomically (a temp file beside it, fsync, rename), so a reader
// sees the previous record or the new one, never part of one.
import { basename, dirname, join } from 'node:path';
import { z } from '../zod.ts';
import { defineSink, type DeliveryAttempt } from './types.ts';
import { codeWords } from '../error-words.ts';

const spec = () => z.strictObject({
  path: z.meta(z.string().check(
    z.minLength(1),
    z.refine((p) => !p.endsWith('/'), 'must name a file, not a directory'),
  ), { description: 'the file the record is written to (atomically), e.g. /evidence/orders/last-run.json on a mounted volume' }),
});

/** Errors that may pass on their own; a missing permission or a read-only volume will not. */
const TRANSIENT = new Set(['EAGAIN', 'EBUSY', 'EIO', 'EMFILE', 'ENFILE', 'ENOSPC', 'EINTR']);

export const file = defineSink({
  type: 'file',
  spec,
  defaultOn: 'always',
  hosts: () => [],
  target: (s) => s.path,
  deliver: async (record, s, ctx) => {
    try {
      await writeAtomically(s.path, `${JSON.stringify(record, null, 2)}\n`, ctx.signal);
      return { ok: true };
    } catch (error) {
      return fileFailure(error, s.path);
    }
  },
});

export async function writeAtomically(path: string, text: string, signal: AbortSignal): Promise<void> {
  // Taken when a record is written, not imported: `validate` never loads them.
  const { mkdir, open, rename, rm } = process.getBuiltinModule('node:fs/promises');
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, { signal });
      await handle.sync();
    } finally {
      await handle.close();
    }
    signal.throwIfAborted();
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; some filesystems cannot fsync a directory, and that is fine. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await process.getBuiltinModule('node:fs/promises').open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}

function fileFailure(error: unknown, path: string): DeliveryAttempt {
  const err = error as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : String(error);
  // mkdir -p meets a regular file on the way: EEXIST from mkdir (ENOTDIR from open says the same).
  const reason = (code === 'EEXIST' ? codeWords('ENOTDIR') : codeWords(code)) ?? (code || message);
  return { ok: false, error: `${reason} (${path})`, retryable: TRANSIENT.has(code) };
}
