// The API call of one attempt: /api/v1/query (or query_range) at the attempt's time, on its own sockets.
import type { AttemptContext } from '../types.ts';
import { loadCa } from '../../net/ca.ts';
import { withoutCredentials } from '../../net/url-credentials.ts';
import { VERSION } from '../../version.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { readCapped } from '../http/body.ts';
import { attemptSockets } from '../http/connect.ts';
import type { PrometheusSpec } from './spec.ts';

/** No Prometheus answer a suite needs is larger; a bigger one is refused, not parsed. */
export const RESPONSE_LIMIT_BYTES = 1024 * 1024;

export type ApiAnswer =
  | { readonly ok: true; readonly status: number; readonly body: string; readonly contentType: string }
  | { readonly ok: false; readonly error: string };

/** `…/api/v1/query?query=…&time=…`: the base url's path and own parameters kept, ours added. */
export function apiUrl(s: PrometheusSpec, nowMs: number): URL {
  const url = new URL(s.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/${s.range === undefined ? 'query' : 'query_range'}`;
  url.searchParams.set('query', s.query);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  if (s.range === undefined || s.step === undefined) url.searchParams.set('time', seconds(nowMs));
  else {
    url.searchParams.set('start', seconds(nowMs - s.range));
    url.searchParams.set('end', seconds(nowMs));
    url.searchParams.set('step', seconds(s.step));
  }
  return url;
}

export async function callApi(s: PrometheusSpec, url: URL, ctx: AttemptContext): Promise<ApiAnswer> {
  const timedOut = { ok: false, error: timeoutReason(ctx.timeoutMs) } as const;
  const sent = withoutCredentials(url.toString(), { 'user-agent': `syncproof/${VERSION}`, accept: 'application/json', ...s.headers });
  const target = new URL(sent.url);
  const ca = await loadCa(s.tls?.ca);
  if (!ca.ok) return ca;
  if (ctx.signal.aborted) return timedOut;
  const { Agent, request } = await import('undici');
  const sockets = attemptSockets({ ca: ca.pem, insecure: s.tls?.insecure ?? false, serverName: s.tls?.serverName, forHost: target.hostname });
  const agent = new Agent({ connect: sockets.connect });
  const stop = (): void => sockets.destroyAll();
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    const response = await request(target, { dispatcher: agent, method: 'GET', headers: sent.headers, signal: ctx.signal });
    const body = await readCapped(response.body, RESPONSE_LIMIT_BYTES);
    if (body.truncated) return { ok: false, error: `the answer is larger than ${RESPONSE_LIMIT_BYTES / 1024 / 1024} MiB: narrow the query (aggregate with sum/max, or select fewer series)` };
    const type = response.headers['content-type'];
    return { ok: true, status: response.statusCode, body: body.text, contentType: Array.isArray(type) ? type.join(', ') : (type ?? '') };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    return { ok: false, error: describeError(error, target.host) };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    sockets.destroyAll();
    await agent.destroy().catch(() => {});
  }
}
