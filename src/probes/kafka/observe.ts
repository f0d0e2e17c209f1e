import type { AttemptContext, Observation, Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { describeKafkaError, openClient, overflowed } from './connect.ts';
import { brokersOf } from './endpoint.ts';
import { describeState, readState } from './state.ts';
import type { KafkaSpec } from './index.ts';

export async function observeKafka(s: KafkaSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const opened = await openClient(s, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return { ok: false, error: opened.error };
  const where = brokersOf(s).map((b) => `${b.host}:${b.port}`).join(', ');
  try {
    const brokers = opened.metadata.brokers.size;
    const observed: Observed = { connected: true, brokers };
    const parts = [`${brokers} broker${brokers === 1 ? '' : 's'}`];
    if (s.group !== undefined) {
      const group = await readState(opened.admin, opened.metadata, s.group, s.topic);
      Object.assign(observed, { lag: group.lag, lagMax: group.lagMax, members: group.members, state: group.state });
      parts.push(describeState(s.group, group));
    }
    return { ok: true, observed, summary: parts.join(', ') };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    if (overflowed(opened.admin)) return { ok: false, error: `the broker sent more than 4 MiB (${where})` };
    return { ok: false, error: describeKafkaError(error, where, ctx.timeoutMs) };
  } finally {
    await opened.close();
  }
}
