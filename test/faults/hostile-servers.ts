// Minimal HTTP peers on loopback that answer in the shapes real servers use but the client handles worst:
// a body that ends only when the connection closes, a fixed body of any size, and an echo that
// HTML-escapes (and cuts) a request header into its page.
import type net from 'node:net';
import { serve, type FaultyServer } from './servers.ts';

/**
 * A body delimited by the connection's close, never closed: HTTP/1.0 without a length, or an SSE stream
 * (HTTP/1.1, `Connection: close`, no length). A line every 100 ms until the client goes.
 */
export function closeDelimitedServer(kind: 'http/1.0' | 'sse'): Promise<FaultyServer & { connections: () => number }> {
  let connections = 0;
  const head = kind === 'sse'
    ? 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n'
    : 'HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n';
  return serve((socket, count) => {
    socket.once('data', () => {
      connections++;
      socket.write(head);
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write('data: tick\n\n', () => count(12));
      }, 100);
      socket.on('close', () => clearInterval(timer));
    });
  }).then((server) => ({ ...server, connections: () => connections }));
}

/** Answers every request with 200 and this body (content-length framed). */
export function fixedBodyServer(body: string, contentType = 'application/json'): Promise<FaultyServer> {
  const bytes = Buffer.from(body);
  return serve((socket, count) => respondEach(socket, () => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-type: ${contentType}\r\ncontent-length: ${bytes.length}\r\n\r\n`);
    socket.write(bytes);
    count(bytes.length);
  }));
}

/**
 * Echoes the request's `x-token` into an HTML page as a template would (HTML-escaped), and its first
 * 20 characters as a server that cuts what it quotes.
 */
export function htmlEchoServer(): Promise<FaultyServer> {
  return serve((socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const token = /^x-token: (.*)$/im.exec(head)?.[1]?.trim() ?? '';
      const escaped = token.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
      const body = `<p>Unknown token ${escaped}</p><p>(starts with ${token.slice(0, 20)})</p>`;
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/html\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      head = '';
    });
  });
}

/** Runs `respond` once per request head (keep-alive clients send several on one connection). */
function respondEach(socket: net.Socket, respond: () => void): void {
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
      buffered = buffered.slice(end + 4);
      respond();
    }
  });
}

/** Answers with one response header of `bytes` bytes (past the client's 16 KiB limit on a header block). */
export function hugeHeaderServer(bytes: number): Promise<FaultyServer> {
  return serve((socket) => respondEach(socket, () => {
    socket.write(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(bytes)}\r\ncontent-length: 2\r\n\r\nok`);
  }));
}
