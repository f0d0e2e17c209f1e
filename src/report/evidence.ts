// The report's words for evidence over time: a probe's regression and set-aside assertions, the store line.
import type { ProbeRecord, RunRecord, RunRef } from '../record/types.ts';

/** `; not evaluated: json.orders >= baseline (no earlier passing run) · regressed since 3f2a9c1`, or ''. */
export function evidenceNote(p: ProbeRecord): string {
  const parts: string[] = [];
  const set = p.notEvaluated ?? [];
  const why = (reason: string) => reason.replace(/^no baseline: /, '');
  if (set.length === 1) parts.push(`; not evaluated: ${set[0]!.expect} (${why(set[0]!.reason)})`);
  else if (set.length > 1) parts.push(`; ${set.length} assertions not evaluated (${why(set[0]!.reason)})`);
  const regression = regressionNote(p);
  if (regression !== undefined) parts.push(` · ${regression}`);
  return parts.join('');
}

/** `regressed since 3f2a9c1`, `still failing since run 3c5d7e9f`, `recovered since …`, `new`; undefined without one. */
export function regressionNote(p: ProbeRecord): string | undefined {
  const since = p.previous ? (p.previous.revision ? p.previous.revision.slice(0, 7) : `run ${p.previous.id.slice(0, 8)}`) : '';
  if (p.regression === 'regressed') return `regressed since ${since}`;
  if (p.regression === 'still-failing') return `still failing since ${since}`;
  if (p.regression === 'recovered') return `recovered since ${since}`;
  if (p.regression === 'new') return 'new';
  return undefined;
}

/** `store: baseline run 1b9d6bcd (3f2a9c1), previous run 7c4e2a10 (9d8e7f6, failed)`; undefined without a store. */
export function storeLine(record: RunRecord): string | undefined {
  const store = record.store;
  if (!store) return undefined;
  if (store.error !== null) return `store: not read (${store.error}); baselines not evaluated, regressions unknown`;
  const run = (r: RunRef, verdict: boolean) => `run ${r.id.slice(0, 8)} (${[r.revision?.slice(0, 7), verdict ? r.verdict : ''].filter(Boolean).join(', ') || r.startedAt})`;
  const { previous, baseline } = store;
  if (!previous) return 'store: no earlier run of this suite and app';
  if (!baseline) return `store: previous ${run(previous, true)}; no passing run yet, baselines not evaluated`;
  if (baseline.id === previous.id) return `store: baseline and previous ${run(baseline, false)}`;
  return `store: baseline ${run(baseline, false)}, previous ${run(previous, true)}`;
}
