// What a TLS peer presented, read from the leaf certificate: the words http and tls probes share.
import type { TLSSocket } from 'node:tls';
import { describeError } from './socket-errors.ts';

export interface PeerCertificate {
  /** Verified against the trusted CAs and the expected host name. */
  readonly authorized: boolean;
  /** Why verification failed, in the same words as attempt errors (`certificate has expired`). */
  readonly unauthorizedReason?: string;
  /** Milliseconds until the leaf's notAfter (negative once expired). */
  readonly expiresIn: number;
  readonly issuer: string;
  readonly subject: string;
  /** `DNS:localhost`, `IP Address:127.0.0.1`, as node prints them. */
  readonly altNames: string[];
  /** `TLSv1.3`, or null when the handshake did not say. */
  readonly protocol: string | null;
}

/** The leaf certificate of a connected TLS socket, or undefined when the peer sent none. */
export function peerCertificate(socket: TLSSocket, now = Date.now()): PeerCertificate | undefined {
  const raw = socket.getPeerCertificate().raw;
  if (!raw) return undefined;
  // Taken here, not imported: a run without TLS never loads node:crypto.
  const leaf = new (process.getBuiltinModule('node:crypto').X509Certificate)(raw);
  // Node types it as Error; at runtime it is the OpenSSL code as a string (`CERT_HAS_EXPIRED`).
  const error: unknown = socket.authorizationError;
  const code = typeof error === 'string' ? error : (error as { code?: string } | undefined)?.code;
  return {
    authorized: socket.authorized,
    ...(socket.authorized ? {} : { unauthorizedReason: describeError({ code, message: code ?? 'certificate not verified' }) }),
    expiresIn: leaf.validToDate.getTime() - now,
    issuer: readableName(leaf.issuer),
    subject: readableName(leaf.subject),
    altNames: splitAltNames(leaf.subjectAltName),
    protocol: socket.getProtocol(),
  };
}

/**
 * Node prints a distinguished name one attribute per line; people read `O=Acme, CN=Acme CA`. An empty name
 * (a mesh workload's certificate, `-subj /` with only a URI SAN) is undefined at runtime, whatever the types say.
 */
function readableName(name: string | undefined): string {
  return (name ?? '').split('\n').filter(Boolean).join(', ');
}

/** Entries are joined by `, `; a value holding a comma is quoted by node, so split only before `TYPE:`. */
function splitAltNames(text: string | undefined): string[] {
  return text ? text.split(/, (?=[A-Za-z ]+:)/) : [];
}
