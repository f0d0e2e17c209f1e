// Minimal protocol peers on loopback that answer like a hostile or odd server: a PostgreSQL server that
// completes startup and then asks for GSSAPI, describes 65535 columns or announces a 2 GiB row; a Redis
// server that announces a huge bulk, nests arrays without end or sends a reply its command never has;
// a MySQL server that announces a huge packet after its handshake. Each speaks just enough protocol
// for the client to reach the hostile part, then streams what it announced until the client leaves.
import net from 'node:net';

export interface Peer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** Bytes of hostile payload written so far (what a client that kept reading would have buffered). */
  readonly sent: () => number;
  close(): Promise<void>;
}

type Serve = (socket: net.Socket, count: (n: number) => void) => void;

async function listen(serve: Serve): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let sent = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    serve(socket, (n) => { sent += n; });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port, accepted: () => accepted, sent: () => sent,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `chunk` again and again, as fast as the client reads, until the socket closes or `total` is written. */
function flood(socket: net.Socket, chunk: Buffer, count: (n: number) => void, total = Number.POSITIVE_INFINITY): void {
  let written = 0;
  const more = (): void => {
    while (!socket.destroyed && written < total) {
      const piece = written + chunk.length <= total ? chunk : chunk.subarray(0, total - written);
      written += piece.length;
      count(piece.length);
      if (!socket.write(piece)) { socket.once('drain', more); return; }
    }
  };
  more();
}

function pgMessage(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const pgReady = pgMessage('Z', Buffer.from('I'));
const pgAuthOk = pgMessage('R', int32(0));

export type PgHostility = 'gssapi' | 'sspi' | 'columns' | 'huge-row' | 'notice-flood';

/**
 * A PostgreSQL peer. It answers an SSLRequest with `N`, reads the startup message, then:
 * `gssapi`/`sspi` asks for that authentication; the others authenticate (AuthenticationOk,
 * ReadyForQuery) and answer the first query with a RowDescription of 65535 columns (`columns`),
 * or one column and a DataRow announcing 0x7ffffff0 bytes, then streamed (`huge-row`).
 */
export function hostilePostgres(hostility: PgHostility): Promise<Peer> {
  return listen((socket, count) => {
    let buffered = Buffer.alloc(0);
    let stage: 'startup' | 'query' | 'done' = 'startup';
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 'startup') {
        if (buffered.length < 8) return;
        const length = buffered.readUInt32BE(0);
        if (buffered.readUInt32BE(4) === 80877103) { buffered = buffered.subarray(8); socket.write('N'); return; }
        if (buffered.length < length) return;
        buffered = buffered.subarray(length);
        if (hostility === 'gssapi' || hostility === 'sspi') { socket.write(pgMessage('R', int32(hostility === 'gssapi' ? 7 : 9))); stage = 'done'; return; }
        socket.write(Buffer.concat([pgAuthOk, pgMessage('S', Buffer.from('server_version\u000015.0\u0000')), pgMessage('K', Buffer.alloc(8)), pgReady]));
        stage = 'query';
        return;
      }
      if (stage !== 'query') return;
      stage = 'done';
      if (hostility === 'columns') {
        const count16 = Buffer.alloc(2);
        count16.writeUInt16BE(65535);
        socket.write(pgMessage('T', Buffer.concat([count16, Buffer.from('a\u0000'), Buffer.alloc(18)])));
      } else if (hostility === 'huge-row') {
        const field = Buffer.concat([Buffer.from('big\u0000'), int32(0), Buffer.alloc(2), int32(25), Buffer.from([0xff, 0xff]), int32(0xffffffff), Buffer.alloc(2)]);
        const one = Buffer.from([0, 1]);
        socket.write(Buffer.concat([pgMessage('1'), pgMessage('2'), pgMessage('T', Buffer.concat([one, field]))]));
        const head = Buffer.alloc(5);
        head.write('D', 0, 'latin1');
        head.writeUInt32BE(0x7ffffff0, 1);
        socket.write(Buffer.concat([head, one, int32(0x7ffffff0 - 10)]));
        flood(socket, Buffer.alloc(64 * 1024, 0x61), count);
      } else {
        const notice = pgMessage('N', Buffer.from('SWARNING\u0000Mflood\u0000\u0000'));
        flood(socket, Buffer.concat(Array.from({ length: 1000 }, () => notice)), count);
      }
    });
  });
}

export type RedisHostility = 'huge-bulk' | 'deep-array' | 'wide-array' | 'command-info-not-array';

/**
 * A Redis peer. `huge-bulk`, `deep-array` and `wide-array` answer the first command with
 * `$999999999999` and that many bytes streamed, arrays nested a million deep, or an array announcing
 * 3 million integers (all sent). `command-info-not-array` answers INFO like a Redis 7 primary and
 * COMMAND INFO with a status reply, and anything else with `+OK`.
 */
export function hostileRedis(hostility: RedisHostility): Promise<Peer> {
  return listen((socket, count) => {
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      if (hostility !== 'command-info-not-array') {
        if (!first) return;
        first = false;
        if (hostility === 'huge-bulk') { socket.write('$999999999999\r\n'); flood(socket, Buffer.alloc(64 * 1024, 0x61), count); }
        if (hostility === 'deep-array') flood(socket, Buffer.from('*1\r\n'.repeat(16 * 1024)), count, 4 * 1_000_000);
        if (hostility === 'wide-array') { socket.write('*3000000\r\n'); flood(socket, Buffer.from(':1\r\n'.repeat(16 * 1024)), count, 4 * 3_000_000); }
        return;
      }
      for (const command of commandsIn(chunk)) {
        const name = command.join(' ').toUpperCase();
        if (name === 'INFO SERVER') socket.write(bulk('# Server\r\nredis_version:7.0.15\r\n'));
        else if (name === 'INFO REPLICATION') socket.write(bulk('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n'));
        else if (name.startsWith('COMMAND INFO')) socket.write('+OK\r\n');
        else socket.write('+OK\r\n');
      }
    });
  });
}

/**
 * A MySQL peer that opens with a multi-packet message without end: parts of 0xffffff bytes (the
 * protocol's largest), streamed as fast as the client reads, where its handshake should be.
 */
export function hostileMysql(): Promise<Peer> {
  return listen((socket, count) => {
    const part = Buffer.alloc(64 * 1024, 0x61);
    Buffer.from([0xff, 0xff, 0xff, 0]).copy(part);
    flood(socket, part, count);
  });
}

const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/** The commands of one chunk (`*N` then N bulk strings each); enough for a client's small commands. */
function commandsIn(chunk: Buffer): string[][] {
  const lines = chunk.toString('latin1').split('\r\n');
  const commands: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('*')) continue;
    const args: string[] = [];
    for (let n = Number(line.slice(1)); n > 0; n--) { args.push(lines[i + 2] ?? ''); i += 2; }
    commands.push(args);
  }
  return commands;
}
