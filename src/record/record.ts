// Builds the run record (README.md#the-report-and-the-record) from the runner's outcome: the only shape reports and sinks read.
import { appContext } from '../app-context.ts';
import { randomId } from '../random-id.ts';
import type { Suite } from '../suite.ts';
import { probeTypes } from '../probes/index.ts';
import type { ProbeOutcome, RunOutcome } from './outcome.ts';
import { redactDeep } from '../secrets.ts';
import { VERSION } from '../version.ts';
import type { ProbeType } from '../probes/types.ts';
import type { ProbeRecord, RunRecord } from './types.ts';
import { notVerified } from './verdict.ts';

export { appContext };

export function buildRecord(suite: Suite, run: RunOutcome, env: NodeJS.ProcessEnv): RunRecord {
  const probes = run.probes.map(probeRecord);
  const count = (v: ProbeRecord['verdict']) => probes.filter((p) => p.verdict === v).length;
  const failed = count('failed');
  // A critical probe skipped because a probe it runs `after` did not pass was never verified: the run fails.
  const unverified = probes.some(notVerified);
  const record: RunRecord = {
    version: 1,
    id: randomId(),
    suite: suite.name,
    app: appContext(env),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
    verdict: run.abortReason ? 'aborted' : failed > 0 || unverified ? 'failed' : 'passed',
    abortReason: run.abortReason,
    counts: { total: probes.length, passed: count('passed'), failed, warned: count('warned'), skipped: count('skipped') },
    probes,
    runner: { version: VERSION, pod: env.POD_NAME || null },
  };
  // Redacted once: what was observed by `compact` as the runner cut it (so a long list is redacted only as
  // far as it is kept), everything else by redactDeep. Keys keep their order.
  return {
    ...redactDeep({ ...record, probes: [] }),
    probes: probes.map((p) => ({ ...redactDeep({ ...p, observed: null }), observed: p.observed })),
  };
}

function probeRecord(o: ProbeOutcome): ProbeRecord {
  const type = probeTypes[o.probe.type]!;
  const insecure = type.insecure(o.probe.spec);
  return {
    name: o.probe.name,
    type: o.probe.type,
    target: describeTarget(type, o.probe.spec),
    severity: o.probe.timing.severity,
    verdict: o.verdict,
    attempts: o.attempts,
    durationMs: o.durationMs,
    error: o.error,
    observed: o.observed, // cut and redacted by compactObserved in the runner
    assertions: o.assertions,
    summary: o.summary,
    ...(insecure ? { insecure: true as const } : {}),
  };
}

/**
 * Built from the masked spec: a target made from the secret itself and masked afterwards would show it
 * in any form a URL parser gave it (punycode, re-encoding) that is not registered. A masked spec the probe
 * type cannot describe falls back to the spec (masked with the rest of the record); a target that cannot be
 * described at all (a URL whose escapes do not decode) must not lose the whole record.
 */
function describeTarget(type: ProbeType, spec: Readonly<Record<string, unknown>>): string {
  for (const given of [redactDeep(spec), spec]) {
    try {
      return type.target(given);
    } catch {
      // the next form
    }
  }
  return `${type.type} (target not describable)`;
}
