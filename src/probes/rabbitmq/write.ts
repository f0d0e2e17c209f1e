// writeCheck: a persistent message published to the probe's own canary queue with publisher confirms,
// and got back. The queue is durable and expires a minute after its last use (x-expires), so a probe
// that stops running leaves nothing behind. A broker that refuses, nacks, or blocks publishers (a
// memory or disk alarm) makes `writable` false with its reason; the attempt goes on.
import { randomId } from '../../random-id.ts';
import type { ChannelModel } from 'amqplib';
import { formatDuration } from '../../duration.ts';
import { describeRabbitError } from './connect.ts';
import type { RabbitEndpoint } from './endpoint.ts';
import type { WriteResult } from '../types.ts';

export const CANARY_EXPIRES_MS = 60_000;
/** Older canaries (of runs that published but did not get) are drained, up to this many per attempt. */
const MAX_GETS = 20;

export function canaryQueue(suite: string): string {
  return `syncproof.canary.${suite}`.slice(0, 255);
}

/** Publishes and gets back within `waitMs`; after that the write is given up on (the caller closes the connection). */
export async function checkWrite(connection: ChannelModel, e: RabbitEndpoint, queue: string, waitMs: number): Promise<WriteResult> {
  let blocked: string | undefined;
  const onBlocked = (reason: string): void => { blocked = String(reason).slice(0, 200); };
  connection.on('blocked', onBlocked);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<WriteResult>((resolve) => {
    timer = setTimeout(() => resolve({
      writable: false,
      reason: blocked !== undefined ? `the broker blocks publishers (${blocked})` : `no confirm within ${formatDuration(waitMs)}`,
    }), waitMs);
  });
  try {
    return await Promise.race([publishAndGet(connection, queue).catch((error: unknown) => ({ writable: false as const, reason: describeRabbitError(error, e) })), late]);
  } finally {
    clearTimeout(timer);
    connection.off('blocked', onBlocked);
  }
}

async function publishAndGet(connection: ChannelModel, queue: string): Promise<WriteResult> {
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => {}); // a refused declare closes the channel; the rejected call says why
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-expires': CANARY_EXPIRES_MS } });
  const id = randomId();
  await new Promise<void>((resolve, reject) => {
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ at: new Date().toISOString() })), { persistent: true, messageId: id, mandatory: true },
      (error: unknown) => (error ? reject(new Error('the broker did not confirm the message (basic.nack)')) : resolve()));
  });
  for (let i = 0; i < MAX_GETS; i++) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) break;
    if (message.properties.messageId === id) {
      await channel.close().catch(() => {});
      return { writable: true };
    }
  }
  return { writable: false, reason: `the confirmed message was not found in ${queue}` };
}
