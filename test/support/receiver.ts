// A real local HTTP receiver for sink tests, scripted per test: each request gets the next reply of the
// script (the last one repeats); every request is recorded with the exact bytes of its body.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A status (with headers and body), or `hang`: read the request and never answer. */
export type Reply = { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string } | 'hang';

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface Receiver {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  /** Connections still open (a client that really gives up lets this fall to zero). */
  open(): number;
  close(): Promise<void>;
}

export async function startReceiver(script: readonly Reply[]): Promise<Receiver> {
  if (script.length === 0) throw new Error('a receiver needs at least one reply');
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = script[Math.min(requests.length, script.length - 1)] as Reply;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: performance.now() });
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `check` holds (for effects that land just after a client gave up). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
