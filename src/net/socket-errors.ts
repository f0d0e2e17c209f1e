// One plain reason for an attempt that could not observe, the same words across probe types.
import { formatDuration } from '../duration.ts';

const BY_CODE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by peer',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted (unable to verify the first certificate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate not trusted (unknown issuer)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the port speaking TLS?)',
};

export function timeoutReason(timeoutMs: number): string {
  return `timeout after ${formatDuration(timeoutMs)}`;
}

/** `connection refused (127.0.0.1:5432)`; `where` is the address or target, never a secret. */
export function describeError(error: unknown, where?: string): string {
  const err = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const known = code ? BY_CODE[code] : undefined;
  if (!known && err?.cause && err.cause !== error) {
    const inner = describeError(err.cause, where);
    if (!inner.startsWith('unknown error')) return inner;
  }
  const text = known ?? (typeof err?.message === 'string' && err.message ? err.message : `unknown error${code ? ` (${code})` : ''}`);
  return where ? `${text} (${where})` : text;
}
