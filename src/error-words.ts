// Plain words for the error codes of sockets, files and c-ares, in one table: a code reads the same in a
// probe's reason, a config error, a sink's failure and a store's.
const WORDS: Readonly<Record<string, string>> = {
  // sockets, TLS and undici
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
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted (unable to verify the first certificate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate not trusted (unknown issuer)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the port speaking TLS?)',
  // files
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EISDIR: 'it is a directory',
  EIO: 'I/O error',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
  // c-ares, for what the DNS probe cannot say as an rcode
  EBADNAME: 'invalid name',
  EBADRESP: 'malformed DNS response',
  EBADQUERY: 'malformed DNS query',
  EEOF: 'DNS server closed the connection',
};

/** The words for `code`, or undefined for a code the table does not know. */
export function codeWords(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(WORDS, code) ? WORDS[code] : undefined;
}

/** `no such file or directory`, `permission denied`, … without the stack or the repeated path. */
export function errorReason(error: unknown): string {
  return codeWords((error as { code?: unknown } | null)?.code) ?? (error instanceof Error ? error.message : String(error));
}
