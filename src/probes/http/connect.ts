// The sockets of one http attempt: opened by our own connector, so the attempt can close every one
// of them (even one still in its handshake) and read the TLS peer's certificate.
import net from 'node:net';
import type { buildConnector } from 'undici';
import { peerCertificate, type PeerCertificate } from '../../net/cert-info.ts';
import { hostPort, unbracket } from '../../net/address.ts';

export interface ConnectOptions {
  readonly ca: string | undefined;
  readonly insecure: boolean;
  /** SNI and the name the certificate must match, for connections to `forHost` only. */
  readonly serverName: string | undefined;
  readonly forHost: string;
  /** A client certificate and its key (PEM), for an API that authenticates clients by certificate. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

export interface AttemptSockets {
  readonly connect: buildConnector.connector;
  /** The certificate seen per origin key (`https://localhost:8443`). */
  readonly peers: ReadonlyMap<string, PeerCertificate>;
  destroyAll(): void;
}

/** `https://[::1]:443`: scheme, bracketed host and explicit port, whatever form the URL had. */
export function originKey(protocol: string, hostname: string, port: string | number): string {
  return `${protocol}//${hostPort(unbracket(hostname), port || (protocol === 'https:' ? 443 : 80))}`;
}

/** Why the attempt's sockets were destroyed: its end (timeout, abort or the response read), not the peer. */
class AttemptEnded extends Error {
  readonly code = 'SYNCPROOF_ATTEMPT_ENDED';
  constructor() {
    super('the attempt ended');
  }
}

export function attemptSockets(options: ConnectOptions): AttemptSockets {
  const sockets = new Set<net.Socket>();
  const peers = new Map<string, PeerCertificate>();
  const connect: buildConnector.connector = ({ hostname, protocol, port }, callback) => {
    const key = originKey(protocol, hostname, port);
    const numericPort = Number(port) || (protocol === 'https:' ? 443 : 80);
    let socket: net.Socket;
    if (protocol === 'https:') {
      const serverName = unbracket(options.forHost) === hostname ? options.serverName : undefined;
      // node:tls on first use (undici, loaded by the http probe's load(), has loaded it by then): a suite
      // without TLS does not pay for loading it at start-up.
      const secure = process.getBuiltinModule('node:tls').connect({
        host: hostname,
        port: numericPort,
        // Node sends no SNI for an IP address and then checks the certificate's IP entries.
        servername: serverName ?? (net.isIP(hostname) ? undefined : hostname),
        ca: options.ca,
        ...(options.cert !== undefined && options.key !== undefined ? { cert: options.cert, key: options.key } : {}),
        rejectUnauthorized: !options.insecure,
        ALPNProtocols: ['http/1.1'],
      });
      secure.once('secureConnect', () => {
        const peer = peerCertificate(secure);
        if (peer) peers.set(key, peer);
      });
      socket = secure;
    } else {
      socket = net.connect({ host: hostname, port: numericPort });
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let pending: typeof callback | null = callback;
    socket.once(protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      pending?.(null, socket);
      pending = null;
    });
    socket.on('error', (error) => {
      pending?.(error, null);
      pending = null;
    });
  };
  return {
    connect,
    peers,
    destroyAll: () => {
      // With an error: undici finishes a body delimited by the connection's close (HTTP/1.0, an SSE stream)
      // when a socket closes without one, and asserts on a request the abort has already ended (exit 3).
      // A socket undici has already closed (a response that ended its connection) needs no error of its own.
      for (const socket of sockets) if (!socket.destroyed) socket.destroy(new AttemptEnded());
      sockets.clear();
    },
  };
}
