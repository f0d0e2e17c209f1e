// The Redis wire as syncproof reads it: every RESP2 reply's headers (`$N` bulk lengths, `*N` array
// counts) are checked before ioredis's decoder buffers anything, so an announced 1 TB bulk, an array of
// millions or arrays nested without end fail the attempt with one plain reason instead of taking the
// memory or the stack. ioredis takes a Connector: ours opens the socket and puts the check in front of
// every reader of it, plain or TLS.
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { AbstractConnector } from 'ioredis';
import { DATA_LIMITS, WireRefusal, formatBytes, guardedReader } from '../../net/wire-guard.ts';

const CR_LF = 2;
const LINE_TYPES = new Set([0x2b, 0x2d, 0x3a]); // + - :
const BULK = 0x24; // $
const ARRAY = 0x2a; // *
/** `$` or `*` and a count: a header line longer than this is not one. */
const MAX_HEADER = 24;

/** Follows RESP2 framing across chunks. We never send HELLO 3, so any other type byte is not an answer to us. */
export class RespScanner {
  private readonly where: string;
  private mode: 'type' | 'line' | 'bulk' = 'type';
  private type = 0;
  private header = '';
  private skip = 0;
  /** Elements still to come in each open array, outermost first. */
  private readonly open: number[] = [];
  private replyBytes = 0;
  private replyItems = 0;

  constructor(where: string) {
    this.where = where;
  }

  scan(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const start = at;
      if (this.mode === 'bulk') {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        if (this.skip === 0) { this.mode = 'type'; this.valueDone(); }
      } else if (this.mode === 'type') {
        this.type = chunk[at++]!;
        if (!LINE_TYPES.has(this.type) && this.type !== BULK && this.type !== ARRAY) {
          throw this.refuse(`a reply of type ${JSON.stringify(String.fromCharCode(this.type))}, which is not RESP2`);
        }
        this.mode = 'line';
        this.header = '';
      } else {
        const end = chunk.indexOf(0x0a, at);
        const stop = end === -1 ? chunk.length : end + 1;
        if (this.type === BULK || this.type === ARRAY) {
          this.header += chunk.toString('latin1', at, stop);
          if (this.header.length > MAX_HEADER) throw this.refuse('a reply header that is not a count');
        }
        at = stop;
        if (end !== -1) this.lineDone();
      }
      this.replyBytes += at - start;
      if (this.replyBytes > DATA_LIMITS.messageBytes) throw this.refuse(`a reply over ${formatBytes(DATA_LIMITS.messageBytes)}, syncproof's limit`);
    }
  }

  private lineDone(): void {
    this.mode = 'type';
    if (this.type !== BULK && this.type !== ARRAY) { this.valueDone(); return; }
    const count = /^(-1|\d{1,19})\r\n$/.exec(this.header)?.[1];
    if (count === undefined) throw this.refuse(`a malformed ${this.type === BULK ? 'bulk' : 'array'} header`);
    const n = Number(count);
    if (this.type === BULK) {
      if (n > DATA_LIMITS.messageBytes) {
        throw this.refuse(`a ${formatBytes(n)} string; syncproof reads at most ${formatBytes(DATA_LIMITS.messageBytes)} per reply`);
      }
      if (n === -1) { this.valueDone(); return; }
      this.mode = 'bulk';
      this.skip = n + CR_LF;
      return;
    }
    this.replyItems += Math.max(0, n);
    if (this.replyItems > DATA_LIMITS.replyItems) {
      throw this.refuse(`a reply of over ${DATA_LIMITS.replyItems} values (an array of ${n}); syncproof reads at most ${DATA_LIMITS.replyItems}`);
    }
    if (n <= 0) { this.valueDone(); return; }
    if (this.open.length >= DATA_LIMITS.depth) throw this.refuse(`arrays nested deeper than ${DATA_LIMITS.depth} levels`);
    this.open.push(n);
  }

  /** One value complete: it fills a slot of the innermost open array, or ends the reply. */
  private valueDone(): void {
    while (this.open.length > 0) {
      const last = this.open.length - 1;
      this.open[last]! -= 1;
      if (this.open[last]! > 0) return;
      this.open.pop();
    }
    this.replyBytes = 0;
    this.replyItems = 0;
  }

  private refuse(what: string): WireRefusal {
    return new WireRefusal(`the server sent ${what} (${this.where})`);
  }
}

interface ConnectorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly tls?: ConnectionOptions;
  readonly disconnectTimeout?: number;
}

type ConnectorClass = new (options: unknown) => AbstractConnector;

/** Every 'data' the stream emits goes through a RespScanner first; a refusal destroys the stream with it. */
function guardReads(stream: net.Socket, where: string, refused: (error: WireRefusal) => void): void {
  const scanner = new RespScanner(where);
  const emit = stream.emit.bind(stream);
  const read = guardedReader((c) => scanner.scan(c), (c) => emit('data', c), (error) => { refused(error); stream.destroy(error); }, where);
  stream.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    read(args[0] as Buffer);
    return true;
  }) as typeof stream.emit;
}

/**
 * A Connector class for ioredis (its `Connector` option) that opens the socket as ioredis's own
 * standalone connector does, with every read checked; `refused` hears of a refusal, which ioredis
 * would report only as `Connection is closed.` to the pending command.
 */
export function guardedConnector(base: abstract new (disconnectTimeout: number) => AbstractConnector, where: string, refused: (error: WireRefusal) => void): ConnectorClass {
  return class extends base {
    private readonly options: ConnectorOptions;

    constructor(options: unknown) {
      const given = options as ConnectorOptions;
      super(given.disconnectTimeout ?? 0);
      this.options = given;
    }

    connect(): Promise<net.Socket> {
      this.connecting = true;
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.connecting) { reject(new Error('Connection is closed.')); return; }
          const { host, port } = this.options;
          // node:tls on first use (ioredis, loaded by the probe's load(), has loaded it by then), not at every start.
          const stream = this.options.tls ? process.getBuiltinModule('node:tls').connect({ host, port, ...this.options.tls }) : net.createConnection({ host: host ?? 'localhost', port: port ?? 6379 });
          this.stream = stream;
          stream.once('error', (error) => { this.firstError = error; });
          guardReads(stream, where, refused);
          resolve(stream);
        });
      });
    }
  };
}
