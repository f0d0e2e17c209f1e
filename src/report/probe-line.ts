import type { ProbeRecord } from '../record/types.ts';
import { evidenceNote } from './evidence.ts';

const MARK = { passed: '✓', failed: '✗', warned: '!', skipped: '-' } as const;

/** `✓ ingress: 200 in 35ms` — the line the report, the termination message and Slack share. */
export function probeLine(p: ProbeRecord): string {
  const insecure = p.insecure ? ' [insecure TLS]' : '';
  const line = `${MARK[p.verdict]} ${p.name}: ${p.summary}${evidenceNote(p)}${insecure}`;
  // A skipped warning is a warning too: it never fails the run, unlike a skipped critical probe.
  const warning = p.verdict === 'warned' || (p.verdict === 'skipped' && p.severity === 'warning');
  return warning ? `${line.padEnd(50)}  [warning]` : line;
}
