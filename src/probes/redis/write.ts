// writeCheck: the canary key SET with an expiry and read back, within the time the attempt leaves it.
import type { Redis } from 'ioredis';
import { formatDuration } from '../../duration.ts';
import type { WriteResult } from '../types.ts';
import { firstLine, isReplyError, replyAsJson } from './query.ts';

export function canaryKey(suite: string): string {
  return `syncproof:canary:${suite}`;
}

/**
 * SET the canary with a 60 s expiry and read it back. A refusal (READONLY, NOPERM, OOM…) is
 * `writable: false`, not an error; so is a write the server holds back (CLIENT PAUSE WRITE, a
 * stalled server) past `waitMs`: the commands are left unanswered and the caller closes the connection.
 */
export async function checkWrite(client: Redis, suite: string, waitMs: number): Promise<WriteResult> {
  const key = canaryKey(suite);
  const stamp = new Date().toISOString();
  let step = 'SET';
  const write = async (): Promise<WriteResult> => {
    try {
      await client.call('SET', key, stamp, 'EX', '60');
      step = 'GET';
      const back = await client.call('GET', key);
      if (back !== stamp) return { writable: false, reason: `read back ${JSON.stringify(replyAsJson(back))} instead of the value written` };
      return { writable: true };
    } catch (error) {
      if (!isReplyError(error)) throw error;
      return { writable: false, reason: firstLine(error) };
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<WriteResult>((resolve) => {
    timer = setTimeout(() => resolve({ writable: false, reason: `no reply to ${step} within ${formatDuration(waitMs)}` }), waitMs);
  });
  try {
    return await Promise.race([write(), late]);
  } finally {
    clearTimeout(timer);
  }
}
