// The record's evidence over time (docs/store.md): with a store, each probe's `previous` and `regression`, the
// store's own summary, and every assertion the run set aside (a baseline it did not have) or compared with one.
import type { Applied } from './baselines.ts';
import { redactDeep } from '../secrets.ts';
import type { Evidence } from '../store/evidence.ts';
import type { ProbeRecord, ProbeVerdict, Regression, RunRecord } from '../record/types.ts';

export function withEvidence(record: RunRecord, evidence: Evidence | null, applied: Applied): RunRecord {
  const probes = record.probes.map((p): ProbeRecord => {
    const notEvaluated = applied.notEvaluated.get(p.name);
    const baselines = applied.baselines.get(p.name);
    const assertions = baselines ? p.assertions.map((a) => (baselines.has(a.expect) ? { ...a, baseline: baselines.get(a.expect)! } : a)) : p.assertions;
    return {
      ...p,
      assertions,
      ...(notEvaluated ? { notEvaluated } : {}),
      ...(evidence ? regressionOf(p.name, p.verdict, evidence) : {}),
    };
  });
  if (!evidence) return { ...record, probes };
  const ref = (r: Evidence['previous']) => (r ? { id: r.id, revision: r.app.revision, verdict: r.verdict, startedAt: r.startedAt } : null);
  // Redacted like the rest of the record: a server's error text may quote what it was given.
  return { ...record, probes, store: redactDeep({ target: evidence.target, previous: ref(evidence.previous), baseline: ref(evidence.baseline), error: evidence.error }) };
}

function regressionOf(name: string, verdict: ProbeVerdict, evidence: Evidence): Pick<ProbeRecord, 'previous' | 'regression'> {
  if (evidence.error !== null) return { previous: null, regression: null };
  const run = evidence.previous;
  const before = run?.probes.find((p) => p.name === name);
  if (!run || !before) return { previous: null, regression: 'new' };
  const previous = { id: run.id, revision: run.app.revision, verdict: before.verdict };
  const was = before.verdict === 'passed';
  const is = verdict === 'passed';
  const regression: Regression | null = was && !is ? 'regressed' : !was && !is ? 'still-failing' : !was && is ? 'recovered' : null;
  return { previous, regression };
}
