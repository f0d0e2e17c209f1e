// The human report (README.md#the-report-and-the-record): a header, one line per probe in suite order, the verdict, the deliveries.
import type { RunRecord, SinkDelivery } from '../record/types.ts';
import { finalVerdict } from '../record/verdict.ts';
import { redact } from '../secrets.ts';
import { probeLine } from './probe-line.ts';
import { storeLine } from './evidence.ts';

export interface HumanOptions {
  readonly color: boolean;
  /** One line per delivery, e.g. `sink webhook: delivered`. */
  readonly deliveryLines?: readonly string[];
  readonly deliveries?: readonly SinkDelivery[];
}

const COLOR = { passed: '\x1b[32m', failed: '\x1b[31m', warned: '\x1b[33m', skipped: '\x1b[2m' } as const;
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

export function renderHuman(record: RunRecord, options: HumanOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const lines = [header(record)];
  const store = storeLine(record);
  if (store !== undefined) lines.push(store);
  for (const p of record.probes) lines.push(`  ${paint(COLOR[p.verdict], probeLine(p))}`);
  const verdict = finalVerdict(record, options.deliveries);
  lines.push(paint(BOLD + (verdict.passed ? COLOR.passed : COLOR.failed), verdict.line));
  for (const d of options.deliveryLines ?? []) lines.push(d);
  return redact(lines.join('\n')) + '\n';
}

export function header(record: RunRecord): string {
  const parts = [`syncproof ${record.runner.version}`, `suite ${record.suite}`];
  const { name, revision } = record.app;
  if (name) parts.push(`app ${name}${revision ? `@${revision.slice(0, 7)}` : ''}`);
  return parts.join(' · ');
}
