import type { AttemptContext, Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { serverObserved, writeWaitMs } from '../database.ts';
import { formatDuration } from '../../duration.ts';
import { describeRedisError, openClient } from './connect.ts';
import { endpointOf, type RedisEndpoint } from './endpoint.ts';
import { describeState, readState } from './state.ts';
import { runReadOnly } from './query.ts';
import { checkWrite } from './write.ts';
import { untilAborted } from '../../process/until-aborted.ts';
import type { RedisSpec } from './index.ts';

export async function observeRedis(s: RedisSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  return untilAborted(attempt(s, endpointOf(s), ctx, Date.now() + ctx.timeoutMs), ctx.signal, () => timedOut);
}

async function attempt(s: RedisSpec, e: RedisEndpoint, ctx: AttemptContext, deadline: number): Promise<Observation> {
  const opened = await openClient(s, e, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return opened;
  const { client } = opened;
  try {
    const state = await readState(client);
    const observed = serverObserved(state, { linkUp: state.linkUp, lag: state.lagMs, replicas: state.replicas });
    const notes = [...opened.notes, ...state.notes];
    const parts = [describeState(state, formatDuration)];
    if (s.command !== undefined) {
      const outcome = await runReadOnly(client, s.command, s.allowWrite);
      if (!outcome.ok) return { ok: false, error: outcome.error };
      observed['result'] = outcome.result;
    }
    // Last: a write the server holds back is given up on, its reply never read, so nothing may follow it.
    if (s.writeCheck) {
      const write = await checkWrite(client, ctx.suite, writeWaitMs(deadline));
      observed['writable'] = write.writable;
      parts.push(write.writable ? 'writable' : 'not writable');
      if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
    }
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    return { ok: false, error: describeRedisError(opened.refusal() ?? error, e) };
  } finally {
    opened.close();
  }
}
