// The retry window of one probe: attempts until `passes` consecutive passes, or `within` runs out.
import type { ProbeConfig } from '../suite.ts';
import { formatDuration } from '../duration.ts';
import type { Logger } from '../log.ts';
import type { LoadedType } from './load.ts';
import { compactObserved, type RecordedObserved } from '../record/compact.ts';
import { attempt, type AttemptResult } from './attempt.ts';
import { pause, type Semaphore } from '../process/semaphore.ts';
import type { ProbeOutcome } from '../record/outcome.ts';
import { monotonicMs } from '../process/clock.ts';

export interface ProbeRunContext {
  readonly suite: string;
  readonly signal: AbortSignal;
  readonly limit: Semaphore;
  /** The suite's `concurrency`, to say what a probe that never started waited for. */
  readonly concurrency: number;
  readonly log: Logger;
}

/** An attempt as the probe keeps it: its observation cut and redacted as the record keeps it. */
type RecordedAttempt = Omit<AttemptResult, 'observed'> & { readonly observed: RecordedObserved | null };

export async function runProbe(probe: ProbeConfig, loaded: LoadedType, ctx: ProbeRunContext): Promise<ProbeOutcome> {
  const { timing } = probe;
  // `within` counts from the first attempt (docs/suite.md#how-attempts-are-scheduled), not from the time spent queued behind `concurrency`.
  let started: number | null = null;
  let attempts = 0;
  let consecutive = 0;
  let last: RecordedAttempt | null = null;

  while (!ctx.signal.aborted) {
    let release: () => void;
    try {
      release = await ctx.limit.acquire(ctx.signal);
    } catch {
      break;
    }
    started ??= monotonicMs();
    let result: RecordedAttempt;
    try {
      // Cut before it is bound: a local holding the whole observation would live on through the pause.
      result = cutForRecord(await attempt(probe, loaded, ctx.suite, ctx.signal, ctx.log));
    } finally {
      release();
    }
    // An attempt cut short by the run's abort says nothing about the target: keep the previous one.
    if (ctx.signal.aborted) break;
    last = result;
    attempts++;
    ctx.log.debug({ probe: probe.name, attempt: attempts, passed: last.passed, summary: last.summary }, 'attempt');
    if (last.passed) {
      consecutive++;
      if (consecutive >= timing.passes) return outcome(probe, 'passed', attempts, started, last);
    } else {
      consecutive = 0;
      const nextStart = monotonicMs() + timing.intervalMs - started;
      if (last.final || nextStart > timing.withinMs) return outcome(probe, failedVerdict(probe), attempts, started, last);
    }
    await pause(timing.intervalMs, ctx.signal);
  }
  const waited = started === null ? `a free slot (concurrency ${ctx.concurrency})` : undefined;
  return aborted(probe, attempts, started, last, String(ctx.signal.reason), waited);
}

function failedVerdict(probe: ProbeConfig): 'failed' | 'warned' {
  return probe.timing.severity === 'warning' ? 'warned' : 'failed';
}

function outcome(probe: ProbeConfig, verdict: ProbeOutcome['verdict'], attempts: number, started: number, last: RecordedAttempt): ProbeOutcome {
  let summary = last.summary;
  const durationMs = Math.round(monotonicMs() - started);
  if (verdict === 'passed' && attempts > 1) summary += ` (attempt ${attempts})`;
  if (verdict === 'passed' && probe.timing.passes > 1) summary += `, ${probe.timing.passes} consecutive passes`;
  if (verdict !== 'passed') summary += triedFor(attempts, durationMs);
  return {
    probe, verdict, attempts, summary, durationMs,
    error: last.error, observed: last.observed, assertions: last.assertions,
  };
}

/** `(after 10 attempts in 9.1s)` on the line of a failed probe that was tried more than once (README.md#the-report-and-the-record). */
function triedFor(attempts: number, durationMs: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts in ${formatDuration(durationMs)})` : '';
}

/**
 * An unfinished probe when the run is aborted: failed as such (a warning stays a warning). `waitedFor`: what a
 * probe that never started was waiting for (the probes it runs after, a free slot), so its line says so.
 */
export function aborted(probe: ProbeConfig, attempts: number, started: number | null, last: RecordedAttempt | null, reason: string, waitedFor?: string): ProbeOutcome {
  const error = `aborted: ${reason}${waitedFor === undefined ? '' : ` before it started, while it waited for ${waitedFor}`}`;
  const lastWords = last && !last.passed ? `; last attempt: ${last.summary}` : '';
  const durationMs = started === null ? 0 : Math.round(monotonicMs() - started);
  return {
    probe, attempts,
    verdict: failedVerdict(probe),
    durationMs,
    error, summary: `${error}${lastWords}${last && !last.passed ? triedFor(attempts, durationMs) : ''}`,
    observed: last?.observed ?? null,
    assertions: last?.assertions ?? [],
  };
}

/**
 * The assertions saw the whole observation; a probe keeps only the record's cut of it, made as each attempt
 * ends. Not once when the outcome is final: until then the last attempt's observation is what an abort
 * reports, and holding every retrying probe's whole observation through its pause costs more in garbage
 * collection and peak memory than the cut saves (measured in docs/PERFORMANCE.md).
 */
function cutForRecord(result: AttemptResult): RecordedAttempt {
  return { ...result, observed: result.observed && compactObserved(result.observed) };
}
