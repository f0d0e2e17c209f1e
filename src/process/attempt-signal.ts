// The abort signal of one attempt (a probe's or a sink's): aborts with the outer signal or at the timeout.
import { timeoutReason } from '../net/socket-errors.ts';

export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** Whether the attempt's own timeout aborted it (not the outer signal). */
  timedOut(): boolean;
  /** Ends the timer and the listener on the outer signal: call it when the attempt is over. */
  release(): void;
}

/**
 * Its timer and its listener on `outer` end with the attempt (`release`): AbortSignal.timeout() would keep
 * every attempt's signal, and what listens to it, alive until its timeout fired, long after the attempt,
 * and AbortSignal.any() would register each attempt's signal with the outer one.
 */
export function attemptSignal(outer: AbortSignal, timeoutMs: number): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onOuterAbort = (): void => controller.abort(outer.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(timeoutReason(timeoutMs), 'TimeoutError'));
  }, timeoutMs);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
