// One HTTP POST of JSON bytes, as the webhook and Slack sinks make it: 2xx delivered, 5xx and network
// errors retryable (with the server's Retry-After), everything else (4xx, 3xx, untrusted certificates) not.
import { describeError } from '../net/socket-errors.ts';
import { withoutCredentials } from '../net/url-credentials.ts';
import { isCertificateError } from './transient.ts';
import type { DeliveryAttempt } from './types.ts';
import { DRIVER_BUILTINS } from '../net/driver-builtins.ts';
import { loadBuiltins } from '../process/v8-tuning.ts';

export interface JsonPost {
  readonly url: string;
  /** The exact bytes sent (a signature is computed over them). */
  readonly body: Buffer;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Default POST; the pushgateway sink PUTs. */
  readonly method?: 'POST' | 'PUT';
  /** Default application/json. */
  readonly contentType?: string;
}

const SNIPPET_LIMIT = 120;

export async function postJson(post: JsonPost): Promise<DeliveryAttempt> {
  loadBuiltins(DRIVER_BUILTINS.undici);
  const { Agent, request } = await import('undici');
  const { url, headers } = withoutCredentials(post.url, post.headers);
  // One agent per attempt: its sockets are gone when the attempt is, whatever the receiver does.
  const agent = new Agent({ connections: 1 });
  try {
    const res = await request(url, {
      method: post.method ?? 'POST',
      headers: { ...headers, 'content-type': post.contentType ?? 'application/json' },
      body: post.body,
      signal: post.signal,
      dispatcher: agent,
    });
    const status = res.statusCode;
    if (status >= 200 && status < 300) return { ok: true };
    const error = statusError(status, await bodyStart(res.body));
    if (status < 500) return { ok: false, error, retryable: false };
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    return retryAfterMs === undefined ? { ok: false, error, retryable: true } : { ok: false, error, retryable: true, retryAfterMs };
  } catch (error) {
    return { ok: false, error: describeError(error, new URL(url).host), retryable: !isCertificateError(error) };
  } finally {
    await agent.destroy().catch(() => {});
  }
}

/**
 * The first bytes of an answer's body: enough for a reason of SNIPPET_LIMIT characters (4 bytes each at
 * most), never a wait for a body that does not end nor memory for one that is large.
 */
async function bodyStart(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > SNIPPET_LIMIT * 4) break;
    }
  } catch { /* cut short: what arrived is what it said */ }
  return Buffer.concat(chunks).toString('utf8');
}

/** `503`, or `400 invalid_payload` when the receiver said why in one short plain line. */
function statusError(status: number, body: string): string {
  const line = body.trim();
  const plain = line.length > 0 && line.length <= SNIPPET_LIMIT && !/[\r\n<]/.test(line);
  return plain ? `${status} ${line}` : String(status);
}

/** Milliseconds to wait, from `Retry-After: 120` or `Retry-After: <HTTP date>`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Where a POST goes, for reports and logs: no credentials, no query (tokens travel there). */
export function postTarget(raw: string): string {
  const url = new URL(raw);
  return `POST ${url.origin}${url.pathname}`;
}
