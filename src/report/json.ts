import type { RunRecord, SinkDelivery } from '../record/types.ts';
import { redactDeep } from '../secrets.ts';

/** `--output json`: the run record, plus how each sink delivery went when there were sinks. */
export function renderJson(record: RunRecord, deliveries: readonly SinkDelivery[] = []): string {
  const out = deliveries.length ? { ...record, deliveries } : record;
  return JSON.stringify(redactDeep(out), null, 2) + '\n';
}
