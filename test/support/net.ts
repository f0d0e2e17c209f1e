// Real sockets for tests: free ports, a port nobody listens on, a peer that accepts and never speaks.
import net from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port that refuses connections: it was free a moment ago and nothing listens on it. */
export const refusedPort = freePort;

export interface SilentPeer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** Connections still open (a probe that really closes its socket lets this fall to zero). */
  readonly open: () => number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte. */
export async function silentPeer(host = '127.0.0.1'): Promise<SilentPeer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    // Read and drop what the client sends, so its close is seen; never answer.
    socket.resume();
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
