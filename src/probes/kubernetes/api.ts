// GETs against the Kubernetes API within one attempt: its own connections, bounded answers, plain reasons.
import type { Dispatcher } from 'undici';
import { VERSION } from '../../version.ts';
import { describeError } from '../../net/socket-errors.ts';
import { readCapped } from '../http/body.ts';
import { attemptSockets } from '../http/connect.ts';
import type { ApiEndpoint } from './kubeconfig.ts';

/** A list of 500 Pods is well under this; a larger answer is refused rather than parsed. */
export const ANSWER_LIMIT_BYTES = 4 * 1024 * 1024;

export type ApiResult =
  | { readonly ok: true; readonly body: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status: number | null; readonly error: string };

export interface ApiClient {
  get(path: string): Promise<ApiResult>;
  /** Whether the API answered 401: the credentials were refused, and another attempt would only repeat it. */
  refused(): boolean;
  close(): Promise<void>;
}

export async function apiClient(endpoint: ApiEndpoint, signal: AbortSignal): Promise<ApiClient> {
  const { Agent, request } = await import('undici');
  const server = new URL(endpoint.server);
  // Our own connector: aborting the attempt destroys every socket, one still in its TLS handshake too.
  const sockets = attemptSockets({ ca: endpoint.ca, insecure: endpoint.insecure, serverName: undefined, forHost: server.hostname, cert: endpoint.cert, key: endpoint.key });
  const agent: Dispatcher = new Agent({ connect: sockets.connect });
  const stop = (): void => sockets.destroyAll();
  signal.addEventListener('abort', stop, { once: true });
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `syncproof/${VERSION}` };
  if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
  let refused = false;
  return {
    refused: () => refused,
    get: async (path) => {
      try {
        const response = await request(`${endpoint.server}${path}`, { dispatcher: agent, method: 'GET', headers, signal });
        const body = await readCapped(response.body, ANSWER_LIMIT_BYTES);
        if (body.truncated) return { ok: false, status: response.statusCode, error: `the API's answer to ${path.split('?')[0]} is larger than 4 MiB` };
        const parsed = parseJson(body.text);
        if (response.statusCode === 200 && parsed) return { ok: true, body: parsed };
        if (response.statusCode === 401) refused = true;
        return { ok: false, status: response.statusCode, error: statusError(response.statusCode, parsed) };
      } catch (error) {
        return { ok: false, status: null, error: describeError(error, server.host) };
      }
    },
    close: async () => {
      signal.removeEventListener('abort', stop);
      sockets.destroyAll();
      await agent.destroy().catch(() => {});
    },
  };
}

/** The API's own Status message (`deployments.apps "x" is forbidden: User "…" cannot get …`), else the code. */
function statusError(status: number, body: Readonly<Record<string, unknown>> | undefined): string {
  const message = typeof body?.message === 'string' ? body.message.replace(/\s+/g, ' ').slice(0, 300) : '';
  if (status === 401) return `unauthorized: the API did not accept the credentials${message ? ` (${message})` : ''}`;
  if (status === 403) return `forbidden: ${message || 'the credentials may not read this'}`;
  return message ? `HTTP ${status}: ${message}` : `HTTP ${status} from the API`;
}

function parseJson(text: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
