// The read side of the evidence: earlier runs of a suite, from the postgres sink's table or a directory of records.
import type { JsonValue } from '../probes/types.ts';
import type { RunVerdict } from '../record/types.ts';
import type { StoredRecord } from './record-shape.ts';

export interface RunQuery {
  /** Only runs of this suite; undefined: any suite. */
  readonly suite?: string | undefined;
  /** Only runs of this app (null: runs without one); undefined: any app. */
  readonly app?: string | null | undefined;
  /** Only runs with this verdict, e.g. the last passing run for baselines. */
  readonly verdict?: RunVerdict | undefined;
  readonly limit: number;
}

/** A failure of the store is data: one plain line, never an exception. */
export type StoreResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface RecordStore {
  /** Where it reads, for reports; never a secret. */
  readonly target: string;
  /** The latest runs that match, newest first (by startedAt). */
  runs(query: RunQuery, signal: AbortSignal): Promise<StoreResult<StoredRecord[]>>;
  /** One run by its id, or a unique prefix of it (8 characters at least), exactly as stored (to verify it). */
  get(id: string, signal: AbortSignal): Promise<StoreResult<{ readonly record: StoredRecord; readonly raw: JsonValue } | null>>;
}

/** Run ids are matched by a prefix of at least this many characters, as `history` shows them. */
export const MIN_ID_PREFIX = 8;

/** `timeout after 5s`, `SIGTERM`: why a read was cut short. */
export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}
