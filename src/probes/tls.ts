import net from 'node:net';
import { z } from 'zod';
import { defineProbe, type AttemptContext, type Observation } from './types.ts';
import { describeError, timeoutReason } from '../net/socket-errors.ts';
import { loadCa } from '../net/ca.ts';
import { hostPort, unbracket } from '../net/address.ts';
import { peerCertificate, type PeerCertificate } from '../net/cert-info.ts';
import { formatDuration } from '../duration.ts';

const spec = z.strictObject({
  host: z.string().min(1).meta({ description: 'host name, IPv4 or IPv6 address' }),
  port: z.number().int().min(1).max(65535).default(443).meta({ description: 'TCP port, 1-65535; default 443' }),
  serverName: z.string().min(1).optional()
    .meta({ description: 'SNI sent in the handshake and the name the certificate must match; default: host (none for an IP address)' }),
  ca: z.string().min(1).optional()
    .meta({ description: "PEM text (e.g. ${file:/etc/ca/ca.crt}) or the path of a PEM file of at most 1 MiB; replaces the system's trusted CAs" }),
  insecure: z.boolean().optional()
    .meta({ description: 'changes nothing: the tls probe observes an invalid certificate (authorized: false) rather than refusing it' }),
});

type TlsSpec = z.output<typeof spec>;

export const tls = defineProbe({
  type: 'tls',
  spec,
  fields: {
    authorized: 'boolean', expiresIn: 'duration', issuer: 'string', subject: 'string',
    altNames: 'list', protocol: 'string',
  },
  defaultExpect: ['authorized'],
  hosts: (s) => [unbracket(s.host)],
  insecure: (s) => s.insecure === true,
  target: (s) => `tls://${hostPort(unbracket(s.host), s.port)}${s.serverName ? ` (${s.serverName})` : ''}`,
  observe: observeOnce,
  // node:tls is loaded only by a suite with a tls probe: its module loading is a start-up cost otherwise.
  load: async () => { await import('node:tls'); },
});

/**
 * One handshake, then close. An untrusted, expired or mismatched certificate is observed
 * (`authorized: false`, the reason as a note), since asserting on it is the point of this probe;
 * only a handshake that does not complete is an attempt error.
 */
async function observeOnce(s: TlsSpec, ctx: AttemptContext): Promise<Observation> {
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
