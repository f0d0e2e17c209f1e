// The run's final word: the record's verdict, turned failed when a required sink could not record it.
import { formatDuration } from '../duration.ts';
import type { ProbeRecord, RunRecord, SinkDelivery } from './types.ts';

export interface FinalVerdict {
  readonly passed: boolean;
  /** `PASSED: 5 probes passed in 1.2s`, `FAILED: 2 of 5 probes failed in 31.2s, 1 warned, 1 skipped`, … */
  readonly line: string;
}

/** A critical probe that was skipped was not verified: it fails the run (docs/suite.md#how-attempts-are-scheduled). */
export function notVerified(p: ProbeRecord): boolean {
  return p.verdict === 'skipped' && p.severity === 'critical';
}

export function finalVerdict(record: RunRecord, deliveries: readonly SinkDelivery[] = []): FinalVerdict {
  const { counts } = record;
  const took = formatDuration(record.durationMs);
  const lost = deliveries.filter((d) => d.required && d.outcome === 'failed').map((d) => d.type);
  const evidence = lost.length ? `evidence not recorded (sink ${lost.join(', sink ')})` : '';
  const unverified = record.probes.filter(notVerified).length;
  const extras = [
    counts.warned && `${counts.warned} warned`,
    counts.skipped && `${counts.skipped} skipped${unverified ? ` (${unverified} critical, not verified)` : ''}`,
  ].filter(Boolean).map((text) => `, ${text}`).join('');
  const regressed = record.probes.filter((p) => p.regression === 'regressed').length;
  const regressions = regressed ? `, ${regressed} regressed` : '';
  if (record.verdict === 'passed' && !evidence) {
    const noun = counts.passed === 1 ? 'probe' : 'probes';
    return { passed: true, line: `PASSED: ${counts.passed} ${noun} passed in ${took}${extras}${regressions}` };
  }
  const head = record.verdict === 'aborted' ? `ABORTED (${record.abortReason})` : 'FAILED';
  const probesPart = record.verdict === 'passed'
    ? `${counts.passed} of ${counts.total} probes passed in ${took}${extras}${regressions}`
    : `${counts.failed} of ${counts.total} probes failed in ${took}${extras}${regressions}`;
  return { passed: false, line: `${head}: ${evidence && record.verdict === 'passed' ? `${evidence}; ` : ''}${probesPart}${evidence && record.verdict !== 'passed' ? `; ${evidence}` : ''}` };
}
