// What a rabbitmq probe reads without writing: the broker's version from the connection handshake, and
// one queue's ready messages and consumers by a passive declare (which creates nothing).
import type { ChannelModel } from 'amqplib';

export interface QueueState {
  readonly exists: boolean;
  readonly messages: number | null;
  readonly consumers: number | null;
}

/** `server_properties.version` as the broker sent it, cut to a sane length. */
export function serverVersion(connection: ChannelModel): string | null {
  const version = (connection.connection.serverProperties as { version?: unknown }).version;
  return typeof version === 'string' ? version.slice(0, 100) : null;
}

/** A passive declare of `queue`: a missing queue (404) is `exists: false`; any other refusal is thrown. */
export async function readState(connection: ChannelModel, queue: string): Promise<QueueState> {
  const channel = await connection.createChannel();
  let closedByBroker = false;
  channel.on('error', () => { closedByBroker = true; }); // the broker closes the channel on a failed declare
  try {
    const reply = await channel.checkQueue(queue);
    return { exists: true, messages: reply.messageCount, consumers: reply.consumerCount };
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return { exists: false, messages: null, consumers: null };
    throw error;
  } finally {
    if (!closedByBroker) await channel.close().catch(() => {});
  }
}

export function describeState(queue: string, q: QueueState): string {
  if (!q.exists) return `queue ${queue} missing`;
  return `queue ${queue}: ${q.messages} ready, ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}`;
}
