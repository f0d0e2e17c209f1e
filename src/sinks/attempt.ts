// One delivery attempt, over at its timeout or when the window closes, whether or not the sink honours its signal.
import type { SinkConfig } from '../suite.ts';
import { timeoutReason } from '../net/socket-errors.ts';
import type { RunRecord } from '../record/types.ts';
import { attemptSignal } from '../process/attempt-signal.ts';
import type { DeliveryAttempt, SinkType } from './types.ts';
import { untilAborted } from '../process/until-aborted.ts';

export interface AttemptPlan {
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly window: AbortSignal;
  /** The error when the window closes mid-attempt. */
  readonly closed: string;
}

export async function attemptOnce(sink: SinkType, record: RunRecord, spec: SinkConfig['spec'], plan: AttemptPlan): Promise<DeliveryAttempt> {
  const attempt = attemptSignal(plan.window, plan.timeoutMs);
  const { signal } = attempt;
  try {
    const delivered = sink.deliver(record, spec, { signal, attempt: plan.attempt, timeoutMs: plan.timeoutMs }).catch(
      (error: unknown): DeliveryAttempt => ({ ok: false, error: `internal error: ${String(error)}`, retryable: false }),
    );
    const result = await untilAborted(delivered, signal, () => abortedAttempt(attempt.timedOut(), plan));
    return !result.ok && signal.aborted ? abortedAttempt(attempt.timedOut(), plan) : result;
  } finally {
    attempt.release();
  }
}

function abortedAttempt(timedOut: boolean, plan: AttemptPlan): DeliveryAttempt {
  if (timedOut && !plan.window.aborted) return { ok: false, error: timeoutReason(plan.timeoutMs), retryable: true };
  return { ok: false, error: plan.closed, retryable: false };
}
