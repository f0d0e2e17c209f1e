import type { AssertionResult } from '../assert/ast.ts';
import type { ProbeConfig } from '../suite.ts';
import type { RecordedObserved } from './compact.ts';
import type { ProbeVerdict } from './types.ts';

/** What the runner concluded about one probe; the record is built from these. */
export interface ProbeOutcome {
  readonly probe: ProbeConfig;
  readonly verdict: ProbeVerdict;
  readonly attempts: number;
  readonly durationMs: number;
  readonly error: string | null;
  /** The last attempt's observation, cut and redacted as the record keeps it. */
  readonly observed: RecordedObserved | null;
  readonly assertions: readonly AssertionResult[];
  /** The report's text after the probe name, e.g. `200 in 35ms` or `replication.lag = 47s (expected < 10s)`. */
  readonly summary: string;
}

export interface RunOutcome {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly probes: readonly ProbeOutcome[];
  /** `deadline 5m reached`, `SIGTERM`, or null when the run was not aborted. */
  readonly abortReason: string | null;
}
