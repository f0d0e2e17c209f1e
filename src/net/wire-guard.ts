// What syncproof reads from a database server at most, and the guard every read of the postgres, mysql and
// redis wires goes through before a driver buffers anything (each engine's framing check is its wire.ts).

/**
 * What a data-layer probe reads from a server at most (docs/probes/postgres.md, mysql.md, redis.md).
 * A message or reply over its cap fails the attempt before it is buffered; rows past `rows` or
 * `keptBytes` are cut, and a note says so.
 */
export const DATA_LIMITS = {
  /** Rows of a query's result kept in the observation. */
  rows: 1000,
  /** Text of the kept rows, all columns together. */
  keptBytes: 8 * 1024 * 1024,
  /** One protocol message: a PostgreSQL message, a MySQL packet (multi-packet rows joined), one Redis reply. */
  messageBytes: 8 * 1024 * 1024,
  /** Values of one Redis reply, nested arrays' elements counted. */
  replyItems: 100_000,
  /** Nesting of one Redis reply, and of any value in an observation (json/jsonb, arrays). */
  depth: 64,
} as const;

/** What the server sent that syncproof will not read, as the attempt's one plain reason. */
export class WireRefusal extends Error {}

/** `8 MiB`, `2.0 GiB`, `512 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [unit, size] = n < 1024 ** 2 ? ['KiB', 1024] : n < 1024 ** 3 ? ['MiB', 1024 ** 2] : ['GiB', 1024 ** 3];
  const value = n / (size as number);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit as string}`;
}

/**
 * A data handler that runs `scan` over every chunk before the driver's parser (`deliver`) sees it, and
 * turns a refusal by the scan, or a throw of the parser on a malformed message, into `fail`: inside a
 * socket's data handler either would be an uncaught exception. Nothing is delivered after a failure.
 */
export function guardedReader(scan: (chunk: Buffer) => void, deliver: (chunk: Buffer) => void, fail: (error: WireRefusal) => void, where: string): (chunk: Buffer) => void {
  let failed = false;
  return (chunk) => {
    if (failed) return;
    try {
      scan(chunk);
      deliver(chunk);
    } catch (error) {
      failed = true;
      const message = (error as { message?: unknown } | null)?.message;
      fail(error instanceof WireRefusal ? error : new WireRefusal(`unreadable reply from the server: ${typeof message === 'string' ? message : String(error)} (${where})`));
    }
  };
}

/**
 * Walks a stream of length-prefixed messages across chunks, looking only at headers: collects each
 * header's `headerBytes` (which `header` may raise, once, to peek at the first bytes of the body),
 * then skips the body. `header` throws a WireRefusal for a message syncproof will not read.
 */
export abstract class FramedScanner {
  private readonly head: Buffer;
  private readonly headerBytes: number;
  private have = 0;
  private need: number;
  private skip = 0;

  constructor(headerBytes: number, peekBytes = 0) {
    this.headerBytes = headerBytes;
    this.need = headerBytes;
    this.head = Buffer.alloc(headerBytes + peekBytes);
  }

  scan(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(this.need - this.have, chunk.length - at);
      chunk.copy(this.head, this.have, at, at + n);
      this.have += n;
      at += n;
      if (this.have < this.need) continue;
      const next = this.header(this.head.subarray(0, this.need));
      if (typeof next === 'object' && next.peek > this.need) { this.need = next.peek; continue; }
      this.skip = typeof next === 'number' ? next : 0;
      this.have = 0;
      this.need = this.headerBytes;
    }
  }

  /** The body bytes after this header (less any peeked), or `{ peek: N }` to collect N header bytes in all first. */
  protected abstract header(head: Buffer): number | { readonly peek: number };
}
