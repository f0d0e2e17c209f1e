// prometheus: one PromQL query against a Prometheus-compatible HTTP API, its result as numbers to assert on.
import { authRefused, defineProbe, type AttemptContext, type Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { formatDuration } from '../../duration.ts';
import { apiUrl, callApi } from './request.ts';
import { readAnswer } from './result.ts';
import { spec, type PrometheusSpec } from './spec.ts';
import { insecureTls } from '../../net/tls-options.ts';
import { urlHost } from '../../net/address.ts';
import { oneLine } from '../../one-line.ts';

export const prometheus = defineProbe({
  type: 'prometheus',
  spec,
  fields: { value: 'number', values: 'list', series: 'number', resultType: 'string', warnings: 'list' },
  defaultExpect: ['value != null'],
  hosts: (s) => [urlHost(s.url)],
  insecure: insecureTls,
  target: (s) => `promql ${apiBase(s.url)}${s.range !== undefined && s.step !== undefined ? ` over ${formatDuration(s.range)} step ${formatDuration(s.step)}` : ''}: ${oneLine(s.query, 120)}`,
  observe: observeOnce,
  load: async () => { await import('undici'); },
});

async function observeOnce(s: PrometheusSpec, ctx: AttemptContext): Promise<Observation> {
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const url = apiUrl(s, Date.now());
  const answer = await callApi(s, url, ctx);
  if (!answer.ok) return answer;
  // 401: the credentials were refused, which another attempt would only repeat; a 403 may be a proxy's passing rule.
  if (answer.status === 401 || answer.status === 403) return { ok: false, error: `HTTP ${answer.status}: the API refused the request (check headers or the url's credentials)`, ...authRefused(answer.status === 401) };
  return readAnswer(answer.status, answer.body, url.host);
}

/** Where the API is, for reports: no credentials and no ?parameters (tokens travel there too). */
function apiBase(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

