// What the postgres, mysql and redis probe types share: the observation fields with one meaning across
// engines (the Observation tables of docs/probes/postgres.md, mysql.md and redis.md), the query keys' rule
// and the writeCheck's wait.
import { z } from '../zod.ts';
import type { FieldKinds, Observed } from './types.ts';

/** The table a SQL writeCheck upserts its canary row into when it names none. */
export const CANARY_TABLE = 'syncproof_canary';

export const DATA_LAYER_FIELDS = {
  connected: 'boolean', version: 'string', role: 'string', readOnly: 'boolean', writable: 'boolean',
  replication: 'object', 'replication.lag': 'duration', 'replication.replicas': 'number',
} as const satisfies FieldKinds;

/** The DATA_LAYER_FIELDS a connected server's state gives, before any query or write check adds to them. */
export function serverObserved(
  state: { readonly version: string; readonly role: string | null; readonly readOnly: boolean },
  replication: Observed,
): Observed {
  return { connected: true, version: state.version, role: state.role, readOnly: state.readOnly, replication };
}

export const SQL_RESULT_FIELDS = { rows: 'any', row: 'any', value: 'any', rowCount: 'number' } as const satisfies FieldKinds;

/** The SQL engines' fields that only a key makes them observe (ProbeType.observedOnlyWith). */
export const SQL_OBSERVED_ONLY_WITH = { writable: 'writeCheck', rows: 'query', row: 'query', value: 'query', rowCount: 'query' } as const;

/** A spec's `params` bind placeholders of its `query`, so they need one. */
export function checkParamsHaveQuery(s: { readonly params?: unknown; readonly query?: string | undefined }, ctx: z.RefinementCtx): void {
  if (s.params !== undefined && s.query === undefined) ctx.addIssue({ code: 'custom', path: ['params'], message: '`params` needs a `query`' });
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
