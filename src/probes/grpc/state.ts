// One call of grpc.health.v1.Health/Check and what it says: the serving status, or the gRPC error the
// server answered with (observed as `code`), or a connect failure (an attempt error).
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { decodeResponse, encodeRequest, type ServingStatus } from './health-message.ts';
import { connectFailure, type GrpcConnectSpec, type OpenClient } from './connect.ts';

const CHECK = '/grpc.health.v1.Health/Check';

export type Checked =
  | { readonly ok: true; readonly status: ServingStatus; readonly code: string; readonly details: string }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

/** Calls Check with a deadline at `deadline` (ms since the epoch); `signal` cancels it. */
export function readState(opened: OpenClient, grpc: typeof import('@grpc/grpc-js'), spec: GrpcConnectSpec & { readonly service: string; readonly metadata?: Readonly<Record<string, string>> | undefined }, deadline: number, signal: AbortSignal): Promise<Checked> {
  const metadata: Metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(spec.metadata ?? {})) metadata.set(name, value);
  return new Promise((resolve) => {
    const call = opened.client.makeUnaryRequest(CHECK, encodeRequest, decodeResponse, spec.service, metadata, { deadline }, (error, status) => {
      signal.removeEventListener('abort', cancel);
      if (!error) return resolve({ ok: true, status: status ?? 'UNKNOWN', code: 'OK', details: '' });
      resolve(answerOf(error, grpc, spec, opened.lastError()));
    });
    const cancel = (): void => call.cancel();
    signal.addEventListener('abort', cancel, { once: true });
  });
}

function answerOf(error: ServiceError, grpc: typeof import('@grpc/grpc-js'), spec: GrpcConnectSpec, lastError: unknown): Checked {
  const { status } = grpc;
  const code = status[error.code] ?? String(error.code);
  const details = (error.details ?? '').split('\n')[0]?.slice(0, 500) ?? '';
  if (error.code === status.CANCELLED || error.code === status.DEADLINE_EXCEEDED) return { ok: false, error: 'timeout', aborted: true };
  if (error.code === status.UNAVAILABLE) {
    const failed = connectFailure(details, lastError, spec);
    if (failed !== undefined) return { ok: false, error: failed };
  }
  // The server's own refusal of our credentials is an attempt error in its words.
  if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) return { ok: false, error: `${code}: ${details || 'refused'}` };
  // Check answers NOT_FOUND for a service it does not know (SERVICE_UNKNOWN is Watch's way of saying it).
  if (error.code === status.NOT_FOUND) return { ok: true, status: 'SERVICE_UNKNOWN', code, details };
  return { ok: true, status: 'UNKNOWN', code, details };
}
