import type { AttemptContext, Observation, Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { writeWaitMs } from '../database.ts';
import { formatDuration } from '../../duration.ts';
import { openClient } from './connect.ts';
import { describeJetStreamError } from './errors.ts';
import { describeConsumer, describeStream, readConsumer, readStream, streamObserved } from './state.ts';
import { canarySubject, checkWrite } from './write.ts';
import type { NatsSpec } from './index.ts';

export async function observeNats(s: NatsSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const deadline = Date.now() + ctx.timeoutMs;
  const opened = await openClient(s, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return { ok: false, error: opened.error };
  const { nc } = opened;
  const stream = s.stream ?? '';
  try {
    const rtt = await nc.rtt();
    const observed: Observed = { connected: true, rtt, server: { version: String(nc.info?.version ?? '').slice(0, 100) || null } };
    const parts = [`nats ${nc.info?.version ?? ''} (${nc.getServer()}), rtt ${formatDuration(rtt)}`];
    const notes: string[] = [];
    if (s.stream !== undefined) {
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const jsm = await jetstreamManager(nc, { timeout: Math.max(1, deadline - Date.now()), checkAPI: false });
      const state = await readStream(jsm, s.stream);
      Object.assign(observed, streamObserved(state));
      parts.push(describeStream(s.stream, state));
      if (s.consumer !== undefined) {
        const consumer = await readConsumer(jsm, s.stream, s.consumer);
        observed['consumer'] = { ...consumer };
        parts.push(describeConsumer(s.consumer, consumer));
      }
      if (s.writeCheck) {
        const subject = s.writeCheck === true ? canarySubject(ctx.suite) : s.writeCheck.subject;
        const write = await checkWrite(nc, jsm, s.stream, subject, writeWaitMs(deadline));
        if (ctx.signal.aborted) return timedOut;
        observed['writable'] = write.writable;
        parts.push(write.writable ? 'writable' : 'not writable');
        if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
        else if (write.note) notes.push(`writeCheck: ${write.note}`);
      }
    }
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    const reason = describeJetStreamError(error, stream, s.consumer);
    return { ok: false, error: reason === 'timeout' ? timeoutReason(ctx.timeoutMs) : reason };
  } finally {
    await opened.close();
  }
}
