import type { AttemptContext, Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { openClient } from './connect.ts';
import { readState } from './state.ts';
import { unbracket } from '../../net/address.ts';
import type { GrpcSpec } from './index.ts';

export async function observeGrpc(s: GrpcSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const deadline = Date.now() + ctx.timeoutMs;
  const target = { ...s, host: unbracket(s.host) };
  // Undefined once aborted: the awaits in it may outlast the signal, and nothing may connect after it.
  const opened = await openClient(target, ctx.signal);
  if (opened === undefined) return timedOut;
  if (!opened.ok) return { ok: false, error: opened.error };
  try {
    const grpcJs = await import('@grpc/grpc-js');
    const checked = await readState(opened, grpcJs, target, deadline, ctx.signal);
    if (!checked.ok) return checked.aborted ? timedOut : { ok: false, error: checked.error };
    const summary = checked.code === 'OK' ? checked.status : `${checked.code}${checked.details ? `: ${checked.details}` : ''}`;
    return { ok: true, observed: { status: checked.status, code: checked.code }, summary };
  } finally {
    opened.close();
  }
}

