import type { AttemptContext, Observation, Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { writeWaitMs } from '../database.ts';
import { describeRabbitError, openClient } from './connect.ts';
import { endpointOf } from './endpoint.ts';
import { describeState, readState, serverVersion } from './state.ts';
import { canaryQueue, checkWrite } from './write.ts';
import type { RabbitSpec } from './index.ts';

export async function observeRabbit(s: RabbitSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const deadline = Date.now() + ctx.timeoutMs;
  const e = endpointOf(s);
  const opened = await openClient(s, e, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return { ok: false, error: opened.error };
  try {
    const version = serverVersion(opened.connection);
    const observed: Observed = { connected: true, server: { version } };
    const parts = [`RabbitMQ ${version ?? '(version unknown)'}`];
    const notes: string[] = [];
    if (s.queue !== undefined) {
      const queue = await readState(opened.connection, s.queue);
      observed['queue'] = { ...queue };
      parts.push(describeState(s.queue, queue));
    }
    // Last: a write given up on leaves its channel behind, closed with the connection.
    if (s.writeCheck) {
      const write = await checkWrite(opened.connection, e, canaryQueue(ctx.suite), writeWaitMs(deadline));
      if (ctx.signal.aborted) return timedOut;
      observed['writable'] = write.writable;
      parts.push(write.writable ? 'writable' : 'not writable');
      if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
    }
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    return { ok: false, error: describeRabbitError(error, e) };
  } finally {
    await opened.close();
  }
}
