import { authRefused, type AttemptContext, type Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { apiUrl, callApi } from './request.ts';
import { readAnswer } from './result.ts';
import type { PrometheusSpec } from './spec.ts';

export async function observePrometheus(s: PrometheusSpec, ctx: AttemptContext): Promise<Observation> {
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const url = apiUrl(s, Date.now());
  const answer = await callApi(s, url, ctx);
  if (!answer.ok) return answer;
  // 401: the credentials were refused, which another attempt would only repeat; a 403 may be a proxy's passing rule.
  if (answer.status === 401 || answer.status === 403) return { ok: false, error: `HTTP ${answer.status}: the API refused the request (check headers or the url's credentials)`, ...authRefused(answer.status === 401) };
  return readAnswer(answer.status, answer.body, url.host);
}
