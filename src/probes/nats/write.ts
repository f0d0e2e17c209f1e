// writeCheck: one message published to the canary subject with a JetStream confirm (a PubAck from the
// probe's `stream`), read back by its sequence, and deleted again. A stream that cannot take the write
// (no quorum, full, the subject not captured, permissions) makes `writable` false with its reason.
import { randomId } from '../../random-id.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import { formatDuration } from '../../duration.ts';
import { describeJetStreamError } from './errors.ts';
import type { WriteResult } from '../types.ts';

export function canarySubject(suite: string): string {
  return `syncproof.canary.${suite.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
}

export async function checkWrite(nc: NatsConnection, jsm: JetStreamManager, stream: string, subject: string, waitMs: number): Promise<WriteResult> {
  const { jetstream } = await import('@nats-io/jetstream');
  const js = jetstream(nc, { timeout: Math.max(1, waitMs) });
  const body = JSON.stringify({ canary: randomId(), at: new Date().toISOString() });
  let seq: number;
  try {
    const ack = await js.publish(subject, body, { msgID: randomId(), expect: { streamName: stream }, timeout: Math.max(1, waitMs) });
    seq = ack.seq;
  } catch (error) {
    return { writable: false, reason: (error as { name?: unknown }).name === 'TimeoutError' ? `no PubAck within ${formatDuration(waitMs)}` : describeJetStreamError(error, stream) };
  }
  try {
    const stored = await jsm.streams.getMessage(stream, { seq });
    if (stored === null || stored.string() !== body) return { writable: false, reason: `message ${seq} read back from ${stream} is not the one published` };
  } catch (error) {
    return { writable: false, reason: `PubAck ${seq} received, but reading it back failed: ${describeJetStreamError(error, stream)}` };
  }
  try {
    await jsm.streams.deleteMessage(stream, seq, false);
    return { writable: true };
  } catch (error) {
    return { writable: true, note: `the canary message ${seq} was left in ${stream}: ${describeJetStreamError(error, stream)}` };
  }
}
