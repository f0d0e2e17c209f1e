// Real HTTP and HTTPS servers on free loopback ports, with the routes the probe tests need.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { KeyPair } from './certs.ts';

export const BIG_BODY_BYTES = 5 * 1024 * 1024;

export interface TestServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` or `https://localhost:PORT`. */
  readonly url: string;
  /** Connections still open (a probe that really closes its sockets lets this fall to zero). */
  readonly open: () => number;
  /** Bytes of `/big` written so far, and whether a `/big` response was cut off before its end. */
  readonly big: () => { readonly written: number; readonly cutOff: boolean };
  /** Ends every socket, then stops listening. */
  close(): Promise<void>;
}

/**
 * Routes: `/json`, `/text`, `/status/CODE`, `/redirect?to=PATH&code=302`, `/redirect-loop`,
 * `/redirect-chain/N` (N redirects, then 200),
 * `/headers` (echoes the request's headers as JSON, answers with repeated headers), `/echo`
 * (method, content-type and body as JSON), `/big` (5 MiB, streamed), `/slow` (headers at once,
 * then a byte every 200 ms, never ending).
 */
export async function startHttpServer(options: { tls?: KeyPair; host?: string } = {}): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const big = { written: 0, cutOff: false };
  const timers = new Set<NodeJS.Timeout>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => route(req, res, big, timers);
  const server = options.tls ? https.createServer({ ...options.tls }, handler) : http.createServer(handler);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {}); // a client that rejects our certificate is expected in tests
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  const name = options.tls ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `${options.tls ? 'https' : 'http'}://${name}:${port}`,
    open: () => sockets.size,
    big: () => ({ ...big }),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function route(req: http.IncomingMessage, res: http.ServerResponse, big: { written: number; cutOff: boolean }, timers: Set<NodeJS.Timeout>): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  if (url.pathname === '/json') return json(200, { ok: true, items: [{ id: 7, name: 'seven' }] });
  if (url.pathname === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello, world');
    return;
  }
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) return json(Number(status[1]), { status: Number(status[1]) });
  if (url.pathname === '/redirect') {
    res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: url.searchParams.get('to') ?? '/json' }).end();
    return;
  }
  if (url.pathname === '/redirect-loop') {
    res.writeHead(302, { location: '/redirect-loop' }).end();
    return;
  }
  const chain = /^\/redirect-chain\/(\d+)$/.exec(url.pathname);
  if (chain) {
    const left = Number(chain[1]);
    res.writeHead(left > 0 ? 302 : 200, left > 0 ? { location: `/redirect-chain/${left - 1}` } : {}).end(`${left}`);
    return;
  }
  if (url.pathname === '/headers') {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.setHeader('X-Custom-Header', 'Mixed Case');
    return json(200, req.headers);
  }
  if (url.pathname === '/echo') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => json(200, { method: req.method, contentType: req.headers['content-type'] ?? null, body: Buffer.concat(chunks).toString() }));
    return;
  }
  if (url.pathname === '/big') return streamBig(res, big);
  if (url.pathname === '/slow') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('.');
    const timer = setInterval(() => res.write('.'), 200);
    timers.add(timer);
    res.on('close', () => { clearInterval(timer); timers.delete(timer); });
    return;
  }
  json(404, { error: 'no such route' });
}

/**
 * 5 MiB in 64 KiB chunks, paced and honouring backpressure, so a reader that stops early cuts it
 * off before the kernel's socket buffers could have swallowed the whole body.
 */
function streamBig(res: http.ServerResponse, big: { written: number; cutOff: boolean }): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let finished = false;
  big.written = 0;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(BIG_BODY_BYTES) });
  res.on('finish', () => { finished = true; });
  res.on('close', () => { if (!finished) big.cutOff = true; });
  const pump = (): void => {
    if (res.destroyed) return;
    big.written += chunk.length;
    if (big.written >= BIG_BODY_BYTES) res.end(chunk);
    else if (res.write(chunk)) setTimeout(pump, 2);
    else res.once('drain', pump);
  };
  pump();
}
