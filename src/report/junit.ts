// `--junit FILE`: one testcase per probe, for CI systems that read JUnit XML.
import type { ProbeRecord, RunRecord } from '../record/types.ts';
import { notVerified } from '../record/verdict.ts';
import { regressionNote } from './evidence.ts';
import { redact } from '../secrets.ts';

export const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 cannot carry most control characters at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function renderJunit(record: RunRecord): string {
  const { counts } = record;
  // A skipped critical probe was not verified: it is a failure here, as it fails the run.
  const unverified = record.probes.filter(notVerified).length;
  const attrs = `tests="${counts.total}" failures="${counts.failed + unverified}" skipped="${counts.skipped - unverified}" time="${seconds(record.durationMs)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="syncproof" ${attrs}>`,
    `  <testsuite name="${escapeXml(record.suite)}" ${attrs} timestamp="${record.startedAt}">`,
    ...record.probes.map((p) => testcase(record.suite, p)),
    '  </testsuite>',
    '</testsuites>',
  ];
  return redact(lines.join('\n')) + '\n';
}

/** What the human report says beside the probe's line: evidence over time, and TLS left unverified. */
function notes(p: ProbeRecord): string[] {
  const regression = regressionNote(p);
  return [
    ...(regression === undefined ? [] : [`evidence: ${regression}`]),
    ...(p.notEvaluated ?? []).map((n) => `not evaluated: ${n.expect} (${n.reason})`),
    ...(p.insecure ? ['insecure TLS: the certificate was not verified'] : []),
  ];
}

function testcase(suite: string, p: ProbeRecord): string {
  const open = `    <testcase name="${escapeXml(p.name)}" classname="${escapeXml(`${suite}.${p.type}`)}" time="${seconds(p.durationMs)}"`;
  const said = notes(p);
  const details = escapeXml([`target: ${p.target}`, `attempts: ${p.attempts}`, ...p.assertions.map((a) => `${a.passed ? 'ok' : 'FAILED'}: ${a.expect} (actual ${a.actual})`), ...said].join('\n'));
  switch (p.verdict) {
    case 'passed':
      return said.length === 0 ? `${open}/>` : `${open}>\n      <system-out>${escapeXml(said.join('\n'))}</system-out>\n    </testcase>`;
    case 'skipped':
      if (notVerified(p)) return `${open}>\n      <failure message="${escapeXml(p.error ?? p.summary)}" type="not-verified">${escapeXml(p.summary)}</failure>\n    </testcase>`;
      return `${open}>\n      <skipped message="${escapeXml(p.summary)}"/>\n    </testcase>`;
    case 'warned':
      return `${open}>\n      <system-out>${escapeXml(`warning: ${p.summary}`)}\n${details}</system-out>\n    </testcase>`;
    case 'failed':
      return `${open}>\n      <failure message="${escapeXml(p.summary)}" type="failed">${details}</failure>\n    </testcase>`;
  }
}
