// The PostgreSQL wire as syncproof reads it: each message's 1-byte type and 4-byte length are checked
// before pg buffers the message, an authentication request pg cannot answer is refused with a plain
// reason, and pg's parser runs where its throw on a malformed message cannot escape the socket's data
// handler (there it would be an uncaught exception, and the run would exit 3).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Connection } from 'pg';
import { DATA_LIMITS, FramedScanner, WireRefusal, formatBytes, guardedReader } from '../wire-guard.ts';

const HEADER = 5;
const AUTH = 0x52; // 'R'
const ROW_DESCRIPTION = 0x54; // 'T'
/** AuthenticationRequest codes pg answers: ok, cleartext, MD5, SASL (start, continue, final). */
const ANSWERED_AUTH = new Set([0, 3, 5, 10, 11, 12]);
const AUTH_NAMES: Readonly<Record<number, string>> = { 2: 'Kerberos V5', 6: 'SCM credential', 7: 'GSSAPI', 8: 'GSSAPI', 9: 'SSPI' };
/** PostgreSQL's MaxTupleAttributeNumber: no result has more columns. */
export const MAX_COLUMNS = 1664;

/** Follows the message framing across chunks, looking only at headers (and the first bytes of R and T). */
export class PgFrameScanner extends FramedScanner {
  private readonly where: string;

  constructor(where: string) {
    super(HEADER, 4);
    this.where = where;
  }

  protected header(head: Buffer): number | { peek: number } {
    const type = head[0]!;
    const length = head.readUInt32BE(1);
    if (head.length === HEADER) {
      if (length < 4) throw this.refuse(`a message of length ${length}, which the protocol does not allow`);
      if (length - 4 > DATA_LIMITS.messageBytes) {
        throw this.refuse(`a ${formatBytes(length - 4)} message; syncproof reads at most ${formatBytes(DATA_LIMITS.messageBytes)} per message`);
      }
      const peek = type === AUTH && length >= 8 ? 4 : type === ROW_DESCRIPTION && length >= 6 ? 2 : 0;
      if (peek > 0) return { peek: HEADER + peek };
    } else if (type === AUTH) {
      this.checkAuth(head.readUInt32BE(HEADER));
    } else if (head.readUInt16BE(HEADER) > MAX_COLUMNS) {
      throw this.refuse(`a result of ${head.readUInt16BE(HEADER)} columns; PostgreSQL has at most ${MAX_COLUMNS}`);
    }
    return length - 4 - (head.length - HEADER);
  }

  private checkAuth(code: number): void {
    if (ANSWERED_AUTH.has(code)) return;
    const name = AUTH_NAMES[code];
    throw new WireRefusal(name
      ? `server asks for ${name} authentication, which syncproof does not support (${this.where})`
      : `server asks for an unknown authentication method (code ${code}) (${this.where})`);
  }

  private refuse(what: string): WireRefusal {
    return new WireRefusal(`the server sent ${what} (${this.where})`);
  }
}

type ConnectionClass = new (config: Record<string, unknown>) => Connection;
type Guarded = new (config: Record<string, unknown>, where: string) => Connection;
const guardedClasses = new WeakMap<ConnectionClass, Guarded>();

/**
 * pg's Connection with its parser fed through a PgFrameScanner: plain or TLS, pg hands the stream it
 * reads to attachListeners, which here gives pg's parser an emitter of checked chunks instead.
 * A refusal destroys the stream with it, so the pending connect or query fails with that reason.
 */
export function guardedConnection(base: ConnectionClass, config: Record<string, unknown>, where: string): Connection {
  let Class = guardedClasses.get(base);
  if (!Class) {
    const attach = (base.prototype as unknown as { attachListeners(stream: EventEmitter): void }).attachListeners;
    Class = class extends base {
      readonly where: string;
      constructor(options: Record<string, unknown>, at: string) {
        super(options);
        this.where = at;
      }

      attachListeners(stream: Duplex): void {
        const checked = new EventEmitter();
        attach.call(this, checked);
        const scanner = new PgFrameScanner(this.where);
        stream.on('data', guardedReader((c) => scanner.scan(c), (c) => checked.emit('data', c), (e) => stream.destroy(e), this.where));
        stream.on('end', () => checked.emit('end'));
      }
    };
    guardedClasses.set(base, Class);
  }
  return new Class(config, where);
}
