// Misbehaving HTTP servers the shared test servers do not provide: one that resets the connection in the
// middle of a response, and one that streams a huge body as fast as the client reads it.
import net from 'node:net';

export interface FaultyServer {
  readonly url: string;
  /** Bytes written to clients so far. */
  readonly written: () => number;
  close(): Promise<void>;
}

export async function serve(onConnection: (socket: net.Socket, count: (n: number) => void) => void): Promise<FaultyServer> {
  const sockets = new Set<net.Socket>();
  let written = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket, (n) => { written += n; });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    written: () => written,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers 200 with a 10 000-byte body, sends 100 bytes of it, then resets the connection (RST). */
export function resettingServer(): Promise<FaultyServer> {
  return serve((socket, count) => {
    socket.once('data', () => {
      const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 10000\r\n\r\n';
      socket.write(head + 'x'.repeat(100), () => {
        count(100);
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
    });
  });
}

/** Answers 200 with a body of `bytes` bytes, written as fast as the client takes it. */
export function hugeBodyServer(bytes: number): Promise<FaultyServer> {
  const chunk = Buffer.alloc(256 * 1024, 'x');
  return serve((socket, count) => {
    socket.once('data', () => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${bytes}\r\n\r\n`);
      let left = bytes;
      const pump = (): void => {
        while (left > 0 && !socket.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          count(piece.length);
          if (!socket.write(piece)) { socket.once('drain', pump); return; }
        }
        if (left === 0) socket.end();
      };
      pump();
    });
  });
}
