// Schedules a suite: `after` ordering, concurrency, the deadline and external aborts (SIGTERM).
import type { ProbeConfig, Suite } from '../suite.ts';
import { formatDuration } from '../duration.ts';
import type { Logger } from '../log.ts';
import { probeTypes } from '../probes/index.ts';
import { startHostLookup } from '../process/host-lookup.ts';
import { Semaphore } from '../process/semaphore.ts';
import { loadType, namesAHost, type Connecting, type LoadedType } from './load.ts';
import { aborted, runProbe } from './probe-run.ts';
import type { ProbeOutcome, RunOutcome } from '../record/outcome.ts';

/** The longest the load phase waits for the host-lookup helper: 2 s, or a quarter of a shorter deadline's. */
const HELPER_WAIT_MAX_MS = 2000;
const HELPER_WAIT_DEADLINE_SHARE = 0.25;

export interface RunOptions {
  readonly log: Logger;
  /** The sinks the record goes to after the run: their hosts count for the load phase's host-lookup helper. */
  readonly sinks?: readonly Connecting[];
  /** Aborts the run; its `reason` (a string such as `SIGTERM`) names why. */
  readonly signal?: AbortSignal;
  /** Run only these probes (and the probes they run `after`). */
  readonly only?: ReadonlySet<string>;
}

export async function runSuite(suite: Suite, options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(`deadline ${formatDuration(suite.deadlineMs)} reached`), suite.deadlineMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const limit = new Semaphore(suite.concurrency);
  const byName = new Map(suite.probes.map((p) => [p.name, p]));
  const outcomes = new Map<string, Promise<ProbeOutcome>>();
  const loaded = new Map<string, LoadedType>();

  const outcomeOf = (probe: ProbeConfig): Promise<ProbeOutcome> => {
    let pending = outcomes.get(probe.name);
    if (!pending) {
      pending = schedule(probe);
      outcomes.set(probe.name, pending);
    }
    return pending;
  };

  const schedule = async (probe: ProbeConfig): Promise<ProbeOutcome> => {
    const deps = await Promise.all(probe.after.map((name) => outcomeOf(byName.get(name)!)));
    if (signal.aborted) {
      const waited = deps.filter((d) => d.verdict !== 'passed').map((d) => d.probe.name);
      return aborted(probe, 0, null, null, String(signal.reason), waited.length ? waited.join(', ') : undefined);
    }
    const blocker = deps.find((d) => d.verdict !== 'passed');
    if (blocker) return skipped(probe, blocker);
    return runProbe(probe, loaded.get(probe.type)!, { suite: suite.name, signal, limit, concurrency: suite.concurrency, log: options.log });
  };

  const selected = suite.probes.filter((p) => !options.only || options.only.has(p.name) || isNeededBy(p.name, options.only, byName));
  try {
    // Every driver the run needs is loaded, and the host-lookup helper started, before any attempt's
    // timer starts: loading blocks the event loop, and forking and booting the helper takes tens of ms.
    // The wait for the helper is capped: one slow to boot must not hold probes of IP literals until the
    // deadline; lookups asked meanwhile queue to it and wait under their attempts' timeouts.
    const types = [...new Set(selected.map((p) => probeTypes[p.type]!))].map(loadType);
    const targets = [...selected.map((p) => ({ spec: p.spec, type: probeTypes[p.type]! })), ...(options.sinks ?? [])];
    const lookupWaitMs = Math.min(HELPER_WAIT_MAX_MS, suite.deadlineMs * HELPER_WAIT_DEADLINE_SHARE);
    await Promise.all([...types, namesAHost(targets) ? startHostLookup(signal, lookupWaitMs) : undefined]);
    for (const type of await Promise.all(types)) loaded.set(type.probeType.type, type);
    const probes = await Promise.all(selected.map(outcomeOf));
    return { startedAt, finishedAt: new Date(), probes, abortReason: signal.aborted ? String(signal.reason) : null };
  } finally {
    clearTimeout(timer);
  }
}

function skipped(probe: ProbeConfig, blocker: ProbeOutcome): ProbeOutcome {
  const how = blocker.verdict === 'skipped' ? 'was skipped' : blocker.verdict;
  // A skipped critical probe fails the run (docs/suite.md#how-attempts-are-scheduled); its error says why it counts as a failure.
  const error = probe.timing.severity === 'critical' ? `not verified: skipped after ${blocker.probe.name} ${how}` : null;
  return {
    probe, verdict: 'skipped', attempts: 0, durationMs: 0,
    error, observed: null, assertions: [],
    summary: `skipped (after ${blocker.probe.name} ${how})`,
  };
}

/** Whether `name` is a (transitive) `after` dependency of a selected probe. */
function isNeededBy(name: string, only: ReadonlySet<string>, byName: ReadonlyMap<string, ProbeConfig>): boolean {
  const seen = new Set<string>();
  const visit = (n: string): boolean => {
    if (seen.has(n)) return false;
    seen.add(n);
    return (byName.get(n)?.after ?? []).some((dep) => dep === name || visit(dep));
  };
  return [...only].some(visit);
}
