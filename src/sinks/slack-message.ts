// The Slack message a person reads at a glance: verdict, suite, app@revision, the failing probes' lines, counts.
import type { RunRecord } from '../record/types.ts';
import { finalVerdict } from '../record/verdict.ts';
import { probeLine } from '../report/probe-line.ts';
import { fitLines } from '../report/fit-lines.ts';
import { redact } from '../secrets.ts';

/** Slack's limit for one section's text is 3000 characters; leave room for the code fence. */
const SECTION_LIMIT = 2900;
const EMOJI = { passed: ':white_check_mark:', failed: ':x:', aborted: ':octagonal_sign:' } as const;

export interface SlackMessage {
  /** The notification and fallback text. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export type SlackBlock =
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'context'; readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[] };

export function slackMessage(record: RunRecord): SlackMessage {
  const verdict = finalVerdict(record).line;
  const where = [`suite ${record.suite}`, appLabel(record)].filter(Boolean).join(' · ');
  const lines = record.probes.filter((p) => p.verdict === 'failed' || p.verdict === 'warned').map(probeLine);
  const blocks: SlackBlock[] = [section(`${EMOJI[record.verdict]} *${escape(verdict)}*\n${escape(where)}`)];
  if (lines.length) blocks.push(section(`\`\`\`\n${fitLines(lines.map(escape), SECTION_LIMIT, (text) => text.length)}\n\`\`\``));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escape(footer(record)) }] });
  return { text: escape(`${verdict} · ${where}`), blocks };
}

/** `app orders@3f2a9c1` (namespace when it differs from the name), or nothing outside Argo CD. */
function appLabel(record: RunRecord): string {
  const { name, namespace, revision } = record.app;
  if (!name) return '';
  const ns = namespace && namespace !== name ? ` in ${namespace}` : '';
  return `app ${name}${revision ? `@${revision.slice(0, 7)}` : ''}${ns}`;
}

function footer(record: RunRecord): string {
  const { passed, failed, warned, skipped, total } = record.counts;
  const counts = `${total} probes: ${passed} passed, ${failed} failed, ${warned} warned, ${skipped} skipped`;
  const pod = record.runner.pod ? ` · pod ${record.runner.pod}` : '';
  return `${counts} · run ${record.id}${pod} · syncproof ${record.runner.version}`;
}

/** Redacted, then escaped: Slack's mrkdwn treats only these three as control characters. */
function escape(text: string): string {
  return redact(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
