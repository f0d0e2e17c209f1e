import type { Dispatcher } from 'undici';
import type { AttemptContext, JsonValue, Observation, Observed } from '../types.ts';
import { loadCa } from '../../net/ca.ts';
import { secretHeaderNames } from '../../net/http-headers.ts';
import { unbracket } from '../../net/address.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { attemptSockets, originKey } from './connect.ts';
import { readCapped } from './body.ts';
import { requestHeaders, requestBody, responseHeaders, parseJson } from './message.ts';
import type { PeerCertificate } from '../../net/cert-info.ts';
import { withoutCredentials } from '../../net/url-credentials.ts';
import { MAX_REDIRECTS, type HttpSpec } from './index.ts';

/** One request on its own dispatcher, destroyed afterwards with every socket it opened. */
export async function observeHttp(s: HttpSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut = { ok: false, error: timeoutReason(ctx.timeoutMs) } as const;
  if (ctx.signal.aborted) return timedOut;
  // Credentials in the URL travel as basic auth; undici would drop them without a word.
  const sent = withoutCredentials(s.url, requestHeaders(s.headers, s.body));
  const url = new URL(sent.url);
  const ca = await loadCa(s.tls?.ca);
  if (!ca.ok) return ca;
  const { Agent, interceptors, request } = await import('undici');
  const sockets = attemptSockets({ ca: ca.pem, insecure: s.tls?.insecure ?? false, serverName: s.tls?.serverName, forHost: url.hostname });
  const agent = new Agent({ connect: sockets.connect });
  const origins: string[] = [];
  // A redirect to another origin does not carry a secret header on (as curl without --location-trusted).
  const secretHeaders = secretHeaderNames(sent.headers);
  const dispatcher = agent.compose([
    recordOrigins(origins),
    ...(s.followRedirects ? [interceptors.redirect({ maxRedirections: MAX_REDIRECTS, stripHeadersOnCrossOriginRedirect: secretHeaders })] : []),
  ]);
  const stop = (): void => sockets.destroyAll();
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    const response = await request(url, {
      dispatcher,
      method: s.method as Dispatcher.HttpMethod,
      headers: sent.headers,
      body: requestBody(s.body),
      signal: ctx.signal,
    });
    const body = await readCapped(response.body);
    const final = origins.at(-1) ?? originKey(url.protocol, url.hostname, url.port);
    const peer = sockets.peers.get(final);
    const observed: Observed = {
      status: response.statusCode,
      headers: responseHeaders(response.headers),
      body: body.text,
      json: parseJson(body.text),
      ...(final.startsWith('https:') && peer ? { tls: tlsObserved(peer) } : {}),
    };
    const first = originKey(url.protocol, url.hostname, url.port);
    const crossed = secretHeaders.length > 0 && origins.some((origin) => origin !== first);
    const notes = [
      ...(body.truncated ? ['body cut off after the first 1 MiB'] : []),
      ...(crossed ? [`not sent after the redirect to another origin: ${secretHeaders.join(', ')}`] : []),
      ...(peer && !peer.authorized ? [`insecure: accepted an invalid certificate (${peer.unauthorizedReason})`] : []),
      ...(s.followRedirects && isRedirect(response.statusCode) && response.headers.location ? [`stopped after ${MAX_REDIRECTS} redirects`] : []),
    ];
    return { ok: true, observed, summary: String(response.statusCode), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    const where = (origins.at(-1) ?? originKey(url.protocol, url.hostname, url.port)).replace(/^https?:\/\//, '');
    // undici refuses a redirect back to a URL it already visited, in a long sentence.
    const loop = error instanceof Error && /^Redirect loop/i.test(error.message);
    return { ok: false, error: loop ? `redirect loop (${where})` : describeError(error, where) };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    sockets.destroyAll();
    await agent.destroy().catch(() => {});
  }
}

/** Innermost interceptor: sees every request the redirect interceptor makes, so the last is the final one. */
function recordOrigins(origins: string[]): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    if (options.origin) {
      const origin = new URL(String(options.origin));
      origins.push(originKey(origin.protocol, unbracket(origin.hostname), origin.port));
    }
    return dispatch(options, handler);
  };
}

function tlsObserved(peer: PeerCertificate): { [key: string]: JsonValue } {
  return { authorized: peer.authorized, expiresIn: peer.expiresIn, issuer: peer.issuer, subject: peer.subject };
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}
