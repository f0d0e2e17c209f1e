import net from 'node:net';
import type { AttemptContext, Observation } from '../types.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { loadCa } from '../../net/ca.ts';
import { hostPort, unbracket } from '../../net/address.ts';
import { peerCertificate, type PeerCertificate } from '../../net/cert-info.ts';
import { formatDuration } from '../../duration.ts';
import type { TlsSpec } from './index.ts';

/**
 * One handshake, then close. An untrusted, expired or mismatched certificate is observed
 * (`authorized: false`, the reason as a note), since asserting on it is the point of this probe;
 * only a handshake that does not complete is an attempt error.
 */
export async function observeTls(s: TlsSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut = { ok: false, error: timeoutReason(ctx.timeoutMs) } as const;
  if (ctx.signal.aborted) return timedOut;
  const ca = await loadCa(s.ca);
  if (!ca.ok) return ca;
  if (ctx.signal.aborted) return timedOut;
  const host = unbracket(s.host);
  const where = hostPort(host, s.port);
  return new Promise((resolve) => {
    const socket = process.getBuiltinModule('node:tls').connect({
      host,
      port: s.port,
      servername: s.serverName ?? (net.isIP(host) ? undefined : host),
      ca: ca.pem,
      rejectUnauthorized: false,
    });
    const finish = (observation: Observation): void => {
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(observation);
    };
    const onAbort = (): void => finish(timedOut);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const peer = peerCertificate(socket);
      finish(peer ? observation(peer) : { ok: false, error: `no certificate presented (${where})` });
    });
    // `on`, not `once`: a late second error must not become an uncaught exception.
    socket.on('error', (error) => finish({ ok: false, error: describeError(error, where) }));
  });
}

function observation(peer: PeerCertificate): Observation {
  const expiry = peer.expiresIn >= 0 ? `expires in ${formatDuration(peer.expiresIn)}` : `expired ${formatDuration(-peer.expiresIn)} ago`;
  return {
    ok: true,
    observed: {
      authorized: peer.authorized,
      expiresIn: peer.expiresIn,
      issuer: peer.issuer,
      subject: peer.subject,
      altNames: peer.altNames,
      protocol: peer.protocol,
    },
    summary: `${peer.protocol ?? 'TLS'}, ${expiry}`,
    ...(peer.authorized ? {} : { notes: [`certificate not verified: ${peer.unauthorizedReason}`] }),
  };
}
