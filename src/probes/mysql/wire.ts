// The MySQL wire as syncproof reads it: every packet's 3-byte length is checked before mysql2 buffers
// the packet, a multi-packet message (16 MiB parts joined) counted whole, and mysql2's parser run where
// its throw on a malformed packet cannot escape the socket's data handler.
import type { Connection } from 'mysql2';
import { DATA_LIMITS, FramedScanner, WireRefusal, formatBytes, guardedReader } from '../../net/wire-guard.ts';

const HEADER = 4;
/** A part of this length continues in the next packet (the protocol's multi-packet messages). */
const CONTINUED = 0xffffff;

export class MysqlFrameScanner extends FramedScanner {
  /** Bytes of the message so far, over its parts. */
  private message = 0;
  private readonly where: string;

  constructor(where: string) {
    super(HEADER);
    this.where = where;
  }

  protected header(head: Buffer): number {
    const length = head.readUIntLE(0, 3);
    this.message += length;
    if (this.message > DATA_LIMITS.messageBytes) {
      const size = length === CONTINUED ? `a packet of over ${formatBytes(this.message)}` : `a ${formatBytes(this.message)} packet`;
      throw new WireRefusal(`the server sent ${size}; syncproof reads at most ${formatBytes(DATA_LIMITS.messageBytes)} per packet (${this.where})`);
    }
    if (length !== CONTINUED) this.message = 0;
    return length;
  }
}

interface ParserHolder {
  packetParser: { execute(chunk: Buffer): void };
  stream: { destroy(error?: Error): void };
}

/**
 * mysql2 reads both the plain and the TLS socket through `connection.packetParser.execute` (looked
 * up on every chunk; the parser itself swaps its `execute` as it goes), so the check sits in front of
 * that. A refusal destroys the connection's current stream with it: the pending command fails with it.
 */
export function guardPackets(connection: Connection, where: string): void {
  const holder = connection as unknown as ParserHolder;
  const parser = holder.packetParser;
  const scanner = new MysqlFrameScanner(where);
  const read = guardedReader((c) => scanner.scan(c), (c) => parser.execute(c), (error) => holder.stream.destroy(error), where);
  holder.packetParser = { execute: read };
}
