// The termination message: Kubernetes shows it on the Pod, Argo CD in its UI. At most 4 KiB.
import type { RunRecord, SinkDelivery } from '../record/types.ts';
import { finalVerdict, notVerified } from '../record/verdict.ts';
import { redact } from '../secrets.ts';
import { deliveryLine } from './delivery-line.ts';
import { fitLines } from './fit-lines.ts';
import { probeLine } from './probe-line.ts';

export const TERMINATION_LIMIT = 4096;

export function renderTermination(record: RunRecord, deliveries: readonly SinkDelivery[] = []): string {
  // The failed probes, then the critical ones that were skipped: both are why the run failed.
  const failing = [...record.probes.filter((p) => p.verdict === 'failed'), ...record.probes.filter(notVerified)].map(probeLine);
  const lost = deliveries.filter((d) => d.required && d.outcome === 'failed').map(deliveryLine);
  return fitTermination([finalVerdict(record, deliveries).line, ...failing, ...lost].map(redact));
}

/** Whole lines that fit in 4 KiB, the rest counted in a last line. */
export function fitTermination(lines: readonly string[]): string {
  return fitLines(lines, TERMINATION_LIMIT);
}
