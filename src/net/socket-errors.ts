// One plain reason for an attempt that could not observe, the same words across probe types.
import { formatDuration } from '../duration.ts';
import { codeWords } from '../error-words.ts';

export function timeoutReason(timeoutMs: number): string {
  return `timeout after ${formatDuration(timeoutMs)}`;
}

/** `connection refused (127.0.0.1:5432)`; `where` is the address or target, never a secret. */
export function describeError(error: unknown, where?: string): string {
  const err = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const known = codeWords(code);
  if (!known && err?.cause && err.cause !== error) {
    const inner = describeError(err.cause, where);
    if (!inner.startsWith('unknown error')) return inner;
  }
  const text = known ?? (typeof err?.message === 'string' && err.message ? err.message : `unknown error${code ? ` (${code})` : ''}`);
  return where ? `${text} (${where})` : text;
}
