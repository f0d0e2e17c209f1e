// Failed attempts in one plain line: the server's words for its own refusals, ours for the network and TLS.
import { describeError } from '../../net/socket-errors.ts';
import { WireRefusal } from '../../net/wire-guard.ts';
import { hostPort } from '../../net/address.ts';
import type { MysqlAddress } from './endpoint.ts';
import { oneLine } from '../../one-line.ts';

/** The failed connect or statement as one line; never holds the password (the server does not echo it). */
export function describeMysqlError(error: unknown, address: MysqlAddress): string {
  if (error instanceof WireRefusal) return error.message;
  const err = error as { code?: unknown; sqlMessage?: unknown } | null;
  const where = hostPort(address.host, address.port);
  if (err?.code === 'ER_ACCESS_DENIED_ERROR' || err?.code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return `authentication failed for user "${address.user ?? ''}"`;
  }
  if (err?.code === 'HANDSHAKE_NO_SSL_SUPPORT') return `server does not support TLS (${where})`;
  if (err?.code === 'HANDSHAKE_SSL_ERROR') return oneLine(describeError({ code: tlsCode(error), message: (error as Error).message }, where));
  if (err?.code === 'PROTOCOL_CONNECTION_LOST') return `connection closed by peer (${where})`;
  if (typeof err?.sqlMessage === 'string') return oneLine(err.sqlMessage);
  return oneLine(describeError(error, where));
}

/** The server refused the login: another attempt would only repeat it. */
export function isMysqlAuthError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR';
}

/** mysql2 replaces a TLS error's code by HANDSHAKE_SSL_ERROR; OpenSSL's message tells which it was. */
const TLS_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/wrong version number/i, 'ERR_SSL_WRONG_VERSION_NUMBER'],
];

function tlsCode(error: unknown): string | undefined {
  const message = String((error as { message?: unknown }).message ?? '');
  return TLS_CODES.find(([pattern]) => pattern.test(message))?.[1];
}

