// One attempt of one probe: observe within the timeout, then evaluate its assertions.
import type { AssertionResult } from '../assert/ast.ts';
import { describeFailure } from '../assert/evaluate.ts';
import { evaluateAll } from '../assert/evaluate-all.ts';
import type { ProbeConfig } from '../suite.ts';
import { formatDuration } from '../duration.ts';
import type { Logger } from '../log.ts';
import { timeoutReason } from '../net/socket-errors.ts';
import type { Observation, Observed } from '../probes/types.ts';
import type { LoadedType } from './load.ts';
import { attemptSignal } from '../process/attempt-signal.ts';
import { monotonicMs } from '../process/clock.ts';

/** A driver that ignores its abort signal still cannot hold the run: it is abandoned this long after the abort. */
const ABANDON_AFTER_ABORT_MS = 1000;

export interface AttemptResult {
  readonly passed: boolean;
  readonly durationMs: number;
  readonly error: string | null;
  /** The whole observation: the probe's outcome keeps only the record's cut of its last attempt's. */
  readonly observed: Observed | null;
  readonly assertions: readonly AssertionResult[];
  readonly summary: string;
  /** The target refused the credentials: the probe is not tried again (docs/suite.md#how-attempts-are-scheduled). */
  readonly final: boolean;
}

export async function attempt(
  probe: ProbeConfig,
  loaded: LoadedType,
  suite: string,
  runSignal: AbortSignal,
  log: Logger,
): Promise<AttemptResult> {
  const timeoutMs = probe.timing.timeoutMs;
  const timer = attemptSignal(runSignal, timeoutMs);
  const started = monotonicMs();
  let observation: Observation;
  try {
    observation = await observeGuarded(loaded, probe, { signal: timer.signal, timeoutMs, suite }, log);
  } finally {
    timer.release();
  }
  // One rule for every type, as for sinks: a failure once the attempt's own timer fired is its timeout,
  // whatever the driver said as its sockets closed (a probe's only duty at the abort is to close them).
  if (!observation.ok && timer.timedOut() && !runSignal.aborted) observation = { ...observation, error: timeoutReason(timeoutMs) };
  const durationMs = Math.round(monotonicMs() - started);
  if (!observation.ok) {
    const observed = observation.observed ? { ...observation.observed, duration: durationMs } : null;
    const final = observation.retry === false;
    const error = final ? `${observation.error} (not retried)` : observation.error;
    return { passed: false, durationMs, error, observed, assertions: [], summary: error, final };
  }
  const observed: Observed = { ...observation.observed, duration: durationMs };
  // A pattern the linear regex engine cannot run is tested in a worker, bounded like the observation.
  const assertions = await evaluateAll(probe.expect, observed, loaded.probeType.fields, { boundMs: timeoutMs, signal: runSignal });
  const failures = probe.expect.flatMap((a, i) => (assertions[i]!.passed ? [] : [describeFailure(a, assertions[i]!)]));
  const passed = failures.length === 0;
  const notes = observation.notes?.length ? ` (${observation.notes.join('; ')})` : '';
  // Notes explain the observation (why `writable` is false, a cut-off body), so a passing line shows them too.
  const summary = passed ? `${observation.summary} in ${formatDuration(durationMs)}${notes}` : `${failures.join('; ')}${notes}`;
  return { passed, durationMs, error: null, observed, assertions, summary, final: false };
}

async function observeGuarded(
  loaded: LoadedType,
  probe: ProbeConfig,
  ctx: { signal: AbortSignal; timeoutMs: number; suite: string },
  log: Logger,
): Promise<Observation> {
  let abandon: NodeJS.Timeout | undefined;
  let arm = (): void => {};
  const abandoned = new Promise<Observation>((resolve) => {
    arm = () => {
      abandon = setTimeout(() => resolve({ ok: false, error: timeoutReason(ctx.timeoutMs) }), ABANDON_AFTER_ABORT_MS);
    };
    if (ctx.signal.aborted) arm();
    else ctx.signal.addEventListener('abort', arm, { once: true });
  });
  try {
    return await Promise.race([loaded.observe(probe.spec, ctx), abandoned]);
  } catch (error) {
    // observe() reports failed targets as data; reaching here is a bug in the probe type.
    log.error({ err: error, probe: probe.name }, 'probe type threw instead of reporting a failure');
    return { ok: false, error: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    ctx.signal.removeEventListener('abort', arm);
    clearTimeout(abandon);
  }
}
