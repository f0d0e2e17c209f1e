// One line per sink delivery, for the human report and the termination message.
import type { SinkDelivery } from '../record/types.ts';

/** `sink webhook: delivered` · `sink slack: FAILED (503 after 3 attempts)` · `sink file: not sent (on: failure)`; its error is redacted already. */
export function deliveryLine(d: SinkDelivery): string {
  if (d.outcome === 'delivered') return `sink ${d.type}: delivered`;
  if (d.outcome === 'not-sent') return `sink ${d.type}: not sent (${d.error ?? 'disabled'})`;
  const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  return `sink ${d.type}: FAILED (${d.error ?? 'unknown error'} after ${tries})`;
}
