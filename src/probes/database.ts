// What the three data-layer probe types share: the observation fields with one meaning across engines
// (the Observation tables of docs/probes/postgres.md, mysql.md, redis.md) and the SQL engines' connection and query keys.
import { z } from 'zod';
import type { FieldKinds } from './types.ts';

export const DATA_LAYER_FIELDS = {
  connected: 'boolean', version: 'string', role: 'string', readOnly: 'boolean', writable: 'boolean',
  replication: 'object', 'replication.lag': 'duration', 'replication.replicas': 'number',
} as const satisfies FieldKinds;

export const SQL_RESULT_FIELDS = { rows: 'any', row: 'any', value: 'any', rowCount: 'number' } as const satisfies FieldKinds;

/** The SQL engines' fields that only a key makes them observe (ProbeType.observedOnlyWith). */
export const SQL_OBSERVED_ONLY_WITH = { writable: 'writeCheck', rows: 'query', row: 'query', value: 'query', rowCount: 'query' } as const;

/** Keys beside `url` that postgres and mysql share; a key given beside `url` wins over the url's part. */
export const sqlConnectionKeys = {
  host: z.string().min(1).optional().meta({ description: 'server host (default localhost); wins over the url' }),
  port: z.number().int().min(1).max(65535).optional().meta({ description: "server port (default the engine's); wins over the url" }),
  user: z.string().min(1).optional().meta({ description: 'user to log in as; wins over the url' }),
  database: z.string().min(1).optional().meta({ description: 'database; wins over the url' }),
  password: z.string().optional().meta({ description: 'password; write ${env:NAME} or ${file:/path} so it is kept secret' }),
  ssl: z.enum(['disable', 'require', 'verify']).optional()
    .meta({ description: "TLS: disable, require (not checked) or verify (CA and host name); default: the url's mode, else disable" }),
  ca: z.string().min(1).optional().meta({ description: 'PEM text or a file path of the CA for ssl: verify (default: the system CAs)' }),
  query: z.string().min(1).optional().meta({ description: 'one SQL statement run in a read-only transaction; observed as rows, row, value, rowCount' }),
  params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional()
    .meta({ description: 'values bound to the placeholders of query' }),
};

/** A spec's `params` bind placeholders of its `query`, so they need one. */
export function checkParamsHaveQuery(s: { readonly params?: unknown; readonly query?: string | undefined }, ctx: z.RefinementCtx): void {
  if (s.params !== undefined && s.query === undefined) ctx.addIssue({ code: 'custom', path: ['params'], message: '`params` needs a `query`' });
}

/** The TLS mode a SQL connection ends up with, and the url setting (`sslmode=prefer`) it came from when no `ssl` key chose it. */
export interface SqlTls {
  readonly mode: string;
  readonly urlSetting: string | undefined;
  /** The url settings that verify, as the engine spells them: `sslmode=verify-full/verify-ca`. */
  readonly verifyingUrl: string;
}

/** `ca` is read only when the certificate is checked: with TLS off or unchecked it would be ignored, so it is refused. */
export function checkCaUsed(s: { readonly ssl?: string | undefined; readonly ca?: string | undefined }, tls: SqlTls, ctx: z.RefinementCtx): void {
  if (s.ca === undefined || (tls.mode !== 'disable' && tls.mode !== 'require')) return;
  const from = s.ssl !== undefined ? `ssl: ${s.ssl}` : tls.urlSetting ? `the url's ${tls.urlSetting}` : 'no `ssl` (TLS off)';
  ctx.addIssue({ code: 'custom', path: ['ca'], message: `\`ca\` would be ignored with ${from}: only ssl: verify (or ${tls.verifyingUrl}) checks the certificate` });
}

/**
 * How long from now a writeCheck may wait for the server before it gives up: what is left of the
 * attempt less a fifth of it (at least 200ms, at most 1s), kept to say `writable: false` and why,
 * and to close cleanly, before the attempt's own timeout turns it into an attempt error.
 */
export function writeWaitMs(deadline: number, now = Date.now()): number {
  const remaining = deadline - now;
  return Math.max(0, remaining - Math.min(1000, Math.max(200, remaining * 0.2)));
}

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
