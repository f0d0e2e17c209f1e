// Where a grpc probe connects and how: one grpc-js client per attempt on its own subchannel (nothing
// shared with another attempt), no retries, no service-config lookup, replies cut at a size. The TCP and
// TLS sockets pass through our own channel credentials, so the attempt holds every socket it opened
// (grpc-js keeps a connect in progress after its channel closes) and does TLS as the other probes do.
import dns from 'node:dns';
import net from 'node:net';
import type tls from 'node:tls';
import type { ChannelCredentials, Client } from '@grpc/grpc-js';
import { loadCa } from '../../net/ca.ts';
import { hostPort } from '../../net/address.ts';
import { describeError } from '../../net/socket-errors.ts';
import { untilAborted } from '../../process/until-aborted.ts';

export interface GrpcConnectSpec {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly ca?: string | undefined; readonly insecure?: boolean | undefined; readonly serverName?: string | undefined } | undefined;
}

/** The largest reply (message or metadata) read from the server; a health reply is a few bytes. */
export const MAX_REPLY_BYTES = 64 * 1024;

export interface OpenClient {
  readonly client: Client;
  /** The first socket or TLS error of the attempt, for a plain reason. */
  readonly lastError: () => unknown;
  /** Closes the channel and destroys every socket it opened, whatever state it is in. */
  readonly close: () => void;
}

export type Opened = ({ readonly ok: true } & OpenClient) | { readonly ok: false; readonly error: string };

type Grpc = typeof import('@grpc/grpc-js');

/**
 * The host's address, looked up here (through the run's lookup helper) rather than by grpc-js's resolver,
 * which words a failure as "Name resolution failed" and looks up TXT records besides. Undefined once aborted.
 */
async function addressOf(host: string, signal: AbortSignal): Promise<{ address: string; family: number } | { error: unknown } | undefined> {
  if (net.isIP(host) !== 0) return { address: host, family: net.isIP(host) };
  return untilAborted(dns.promises.lookup(host).catch((error: unknown) => ({ error })), signal, () => undefined);
}

/** A client for `host:port`; it connects on its first call. The caller closes it. Undefined once aborted. */
export async function openClient(spec: GrpcConnectSpec, signal: AbortSignal): Promise<Opened | undefined> {
  const where = hostPort(spec.host, spec.port);
  const found = await addressOf(spec.host, signal);
  if (found === undefined) return undefined;
  if ('error' in found) return { ok: false, error: describeError(found.error, where) };
  let tlsOptions: tls.ConnectionOptions | undefined;
  if (spec.tls !== undefined) {
    const ca = await loadCa(spec.tls.ca);
    if (!ca.ok) return { ok: false, error: ca.error };
    const name = spec.tls.serverName ?? spec.host;
    tlsOptions = {
      host: name, ...(net.isIP(name) === 0 ? { servername: name } : {}),
      rejectUnauthorized: spec.tls.insecure !== true, ALPNProtocols: ['h2'], ...(ca.pem ? { ca: ca.pem } : {}),
    };
  }
  const grpc = await import('@grpc/grpc-js');
  if (signal.aborted) return undefined;
  const sockets = new Set<net.Socket>();
  let firstError: unknown;
  const credentials = attemptCredentials(grpc, tlsOptions, (socket) => {
    sockets.add(socket);
    socket.on('error', (error) => { firstError ??= error; });
  });
  const client = new grpc.Client(`${found.family === 6 ? 'ipv6' : 'ipv4'}:${hostPort(found.address, spec.port)}`, credentials, {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_retries': 0,
    'grpc.service_config_disable_resolution': 1,
    'grpc.enable_channelz': 0,
    'grpc.max_receive_message_length': MAX_REPLY_BYTES,
    'grpc.max_metadata_size': MAX_REPLY_BYTES,
    'grpc.primary_user_agent': 'syncproof',
    'grpc.default_authority': spec.tls?.serverName ?? where,
  });
  const close = (): void => {
    client.close();
    for (const socket of sockets) socket.destroy();
  };
  return { ok: true, client, lastError: () => firstError, close };
}

/** Channel credentials that hand every socket to `track` and, with `tlsOptions`, speak TLS on it. */
function attemptCredentials(grpc: Grpc, tlsOptions: tls.ConnectionOptions | undefined, track: (socket: net.Socket) => void): ChannelCredentials {
  const callCredentials = grpc.credentials.createEmpty();
  const connect = (socket: net.Socket): Promise<{ socket: net.Socket; secure: boolean }> => {
    track(socket);
    if (tlsOptions === undefined) return Promise.resolve({ socket, secure: false });
    return new Promise((resolve, reject) => {
      // node:tls on first use (grpc-js, loaded by the probe's load(), has loaded it by then), not at every start.
      const secured = process.getBuiltinModule('node:tls').connect({ ...tlsOptions, socket }, () => resolve({ socket: secured, secure: true }));
      track(secured);
      secured.once('error', reject);
    });
  };
  class AttemptCredentials extends grpc.ChannelCredentials {
    _isSecure(): boolean { return tlsOptions !== undefined; }
    _equals(other: ChannelCredentials): boolean { return other === this; }
    _createSecureConnector() {
      return { connect, waitForReady: () => Promise.resolve(), getCallCredentials: () => callCredentials, destroy: () => {} };
    }
  }
  return new AttemptCredentials();
}

/** `connection refused (orders:50051)` for a connect grpc-js could not make; undefined when the server answered. */
export function connectFailure(details: string, lastError: unknown, spec: GrpcConnectSpec): string | undefined {
  const where = hostPort(spec.host, spec.port);
  if (lastError !== undefined) return describeError(lastError, where);
  // A TCP connect grpc-js made and lost before our credentials saw the socket: its code is in the details.
  const socketCode = /\b(E[A-Z]{3,}|EAI_[A-Z]+)\b/.exec(details)?.[1];
  if (socketCode !== undefined) return describeError({ code: socketCode }, where);
  if (/^(No connection established|Connection dropped|Failed to connect|Name resolution failed)/i.test(details)) return `${details.slice(0, 200)} (${where})`;
  return undefined;
}
