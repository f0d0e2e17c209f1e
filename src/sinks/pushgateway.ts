// pushgateway: the run as Prometheus metrics, PUT to a Pushgateway under the grouping key job="syncproof",
// suite, app. PUT replaces the whole group, so a probe removed from the suite stops being reported.
import { z } from '../zod.ts';
import { CLIENT_HEADERS, headersSchema } from '../net/http-headers.ts';
import type { RunRecord } from '../record/types.ts';
import { VERSION } from '../version.ts';
import { postJson } from './http-post.ts';
import { defineSink } from './types.ts';
import { urlHost } from '../net/address.ts';

export const JOB = 'syncproof';
const VERDICTS = ['passed', 'failed', 'aborted'] as const;
/** The text exposition format, as the Pushgateway reads it. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^https?:\/\//i, 'must be an http:// or https:// URL (the Pushgateway, e.g. http://pushgateway.monitoring.svc:9091)'),
    z.refine((u) => URL.canParse(u), 'is not a valid URL'),
    z.refine((u) => !URL.canParse(u) || !new URL(u).pathname.includes('/metrics/'), 'is the Pushgateway itself, without /metrics/job/…: syncproof adds the grouping key'),
  ), { description: 'the Pushgateway, e.g. http://pushgateway.monitoring.svc:9091, without /metrics/job/… (syncproof adds the grouping key)' }),
  headers: z.meta(headersSchema(['content-type', ...CLIENT_HEADERS], 'is set by syncproof or its HTTP client, not by the suite'),
    { description: 'extra request headers, e.g. Authorization: Bearer ${env:PUSH_TOKEN}; not Content-Type' }),
});

export const pushgateway = defineSink({
  type: 'pushgateway',
  spec,
  defaultOn: 'always',
  // No credentials and no query: tokens travel there.
  hosts: (s) => [urlHost(s.url)],
  target: (s) => {
    const url = new URL(s.url);
    return `PUT ${url.origin}${url.pathname.replace(/\/+$/, '')}/metrics/job/${JOB}`;
  },
  deliver: async (record, s, ctx) => {
    const headers: Record<string, string> = { 'user-agent': `syncproof/${VERSION}` };
    for (const [name, value] of Object.entries(s.headers)) headers[name.toLowerCase()] = value;
    return postJson({ url: groupUrl(s.url, record), body: Buffer.from(metricsText(record)), headers, signal: ctx.signal, method: 'PUT', contentType: CONTENT_TYPE });
  },
});

/** `<url>/metrics/job/syncproof/suite/<suite>/app/<app>`; the query string stays where the user put it. */
export function groupUrl(base: string, record: RunRecord): string {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = `${path}/metrics/job/${JOB}/${groupLabel('suite', record.suite)}/${groupLabel('app', record.app.name ?? '')}`;
  return url.toString();
}

/** `name/value` in the path, or `name@base64/<base64url>` when plain text would not survive (empty, or a slash), as the Pushgateway documents. */
function groupLabel(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value).toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

export function metricsText(record: RunRecord): string {
  const revision = `revision="${labelValue(record.app.revision ?? '')}"`;
  const lines = [
    '# HELP syncproof_run_verdict The verdict of the last run: 1 for the one it had, 0 for the others.',
    '# TYPE syncproof_run_verdict gauge',
    ...VERDICTS.map((v) => `syncproof_run_verdict{verdict="${v}",${revision}} ${record.verdict === v ? 1 : 0}`),
    '# HELP syncproof_probe_passed Whether the probe passed in the last run (0: failed, warned or skipped).',
    '# TYPE syncproof_probe_passed gauge',
    ...record.probes.map((p) => `syncproof_probe_passed{probe="${labelValue(p.name)}",${revision}} ${p.verdict === 'passed' ? 1 : 0}`),
    '# HELP syncproof_run_duration_seconds How long the last run took.',
    '# TYPE syncproof_run_duration_seconds gauge',
    `syncproof_run_duration_seconds{${revision}} ${record.durationMs / 1000}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The exposition format's escapes: backslash, double quote, line feed. */
function labelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
