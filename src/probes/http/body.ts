// Reads a response body up to a cap, then stops: the rest is never downloaded nor buffered.
import type { Readable } from 'node:stream';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface CappedBody {
  readonly text: string;
  /** The body went on past the cap; the stream was destroyed there. */
  readonly truncated: boolean;
}

export async function readCapped(body: Readable, limit = BODY_LIMIT_BYTES): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = next.value;
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    body.destroy();
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}
