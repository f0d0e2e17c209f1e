// The node transport of nats.js with two changes an attempt needs: its TCP socket takes the attempt's
// abort signal (so a connect, a TLS handshake or a call against a silent server ends at the abort, whatever
// state the client is in), and it reads at most MAX_READ_BYTES from the server in one attempt (the
// client's INFO reader buffers until it sees a line end; a peer that never sends one must not fill memory).
import net from 'node:net';

/** Everything read from the server in one attempt: INFO, replies, stream and consumer info. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/** Set on the connect options of an attempt (`syncproofAttempt`); the transport reads it there. */
export interface AttemptSocket {
  readonly signal: AbortSignal;
  /** Called with every socket (TCP, then TLS) once it exists. */
  readonly opened: (socket: net.Socket) => void;
  /** Called when the server sent more than MAX_READ_BYTES; the socket is destroyed. */
  readonly overflowed: () => void;
}

interface NodeTransportShape {
  socket: net.Socket;
  options: object;
  dial(hp: { hostname: string; port: number }): Promise<net.Socket>;
  startTLS(): Promise<net.Socket>;
}

type Deferred<T> = Promise<T> & { resolve(value: T): void; reject(error: unknown): void };

/** Counts what `socket` delivers, also through the driver's `removeAllListeners()` of its handshake listeners. */
function bound(socket: net.Socket, attempt: AttemptSocket, tally: { read: number }): void {
  const count = (chunk: Buffer): void => {
    tally.read += chunk.length;
    if (tally.read > MAX_READ_BYTES) { attempt.overflowed(); socket.destroy(); }
  };
  const removeAll = socket.removeAllListeners.bind(socket);
  socket.removeAllListeners = (event?: string | symbol) => {
    removeAll(...(event === undefined ? [] : [event]));
    if (event === undefined || event === 'data') socket.prependListener('data', count);
    return socket;
  };
  socket.prependListener('data', count);
  attempt.opened(socket);
}

export type NatsDriver = typeof import('@nats-io/transport-node');

/** Routes nats-core's connections through the attempt transport; the driver's own `connect()` would reset it. */
export async function installAttemptTransport(nats: NatsDriver): Promise<void> {
  const node = (await import('@nats-io/transport-node/lib/node_transport.js')) as unknown as {
    NodeTransport: new () => NodeTransportShape;
    nodeResolveHost: (host: string) => Promise<string[]>;
  };
  const tallies = new WeakMap<object, { read: number }>();
  const attemptOf = (t: NodeTransportShape) => (t.options as { syncproofAttempt?: AttemptSocket }).syncproofAttempt;
  const tallyOf = (t: NodeTransportShape) => {
    let tally = tallies.get(t);
    if (!tally) tallies.set(t, (tally = { read: 0 }));
    return tally;
  };
  class AttemptTransport extends node.NodeTransport {
    override dial(hp: { hostname: string; port: number }): Promise<net.Socket> {
      const attempt = attemptOf(this);
      const d = nats.deferred<net.Socket>() as Deferred<net.Socket>;
      let dialError: unknown;
      const socket = net.createConnection({ port: hp.port, host: hp.hostname, ...(attempt ? { signal: attempt.signal } : {}) }, () => {
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        d.resolve(socket);
      });
      if (attempt) bound(socket, attempt, tallyOf(this));
      socket.on('error', (error) => { dialError = error; });
      socket.on('close', () => d.reject(dialError));
      socket.setNoDelay(true);
      return d;
    }

    override async startTLS(): Promise<net.Socket> {
      const secured = await super.startTLS();
      const attempt = attemptOf(this);
      if (attempt) bound(secured, attempt, tallyOf(this));
      return secured;
    }
  }
  nats.setTransportFactory({ factory: () => new AttemptTransport() as never, dnsResolveFn: node.nodeResolveHost });
}
