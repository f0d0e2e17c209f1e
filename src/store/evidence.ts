// What a run reads from the store before it starts: the last run of its suite and app (for regressions) and
// the last passing one (for baselines). A store that cannot be read is one plain line, never a failed run.
import type { Logger } from '../log.ts';
import { attemptSignal } from '../process/attempt-signal.ts';
import { openStore, STORE_TIMEOUT_MS } from './index.ts';
import type { StoredRecord } from './record-shape.ts';
import type { StoreSpec } from '../suite.ts';

export interface Evidence {
  /** Where it was read, for the report. */
  readonly target: string;
  /** The last run of this suite and app, whatever its verdict; null when there is none (or `error`). */
  readonly previous: StoredRecord | null;
  /** The last passing run of this suite and app: where baselines come from. */
  readonly baseline: StoredRecord | null;
  /** Why the store could not be read; then neither baselines nor regressions are known. */
  readonly error: string | null;
}

export async function readEvidence(spec: StoreSpec, suite: string, app: string | null, log: Logger, signal: AbortSignal): Promise<Evidence> {
  const store = openStore(spec);
  const bound = attemptSignal(signal, STORE_TIMEOUT_MS);
  const [previous, baseline] = await Promise.all([
    store.runs({ suite, app, limit: 1 }, bound.signal),
    store.runs({ suite, app, verdict: 'passed', limit: 1 }, bound.signal),
  ]).finally(bound.release);
  const error = !previous.ok ? previous.error : !baseline.ok ? baseline.error : null;
  if (error !== null) {
    log.warn({ store: store.target, error }, 'store not read: baselines not evaluated, regressions unknown');
    return { target: store.target, previous: null, baseline: null, error };
  }
  const first = (r: typeof previous) => (r.ok ? (r.value[0] ?? null) : null);
  return { target: store.target, previous: first(previous), baseline: first(baseline), error: null };
}
