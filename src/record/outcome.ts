import type { ProbeConfig } from '../suite.ts';
import type { RecordedObserved } from './compact.ts';
import type { ProbeRecord } from './types.ts';

/**
 * What the runner concluded about one probe; the record is built from these. The fields it shares with the
 * record's probe are the record's own (one list of them); the record adds what it describes from the config.
 */
export type ProbeOutcome = Pick<ProbeRecord, 'verdict' | 'attempts' | 'durationMs' | 'error' | 'assertions' | 'summary'> & {
  readonly probe: ProbeConfig;
  /** The last attempt's observation, cut and redacted as the record keeps it. */
  readonly observed: RecordedObserved | null;
};

export interface RunOutcome {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly probes: readonly ProbeOutcome[];
  /** `deadline 5m reached`, `SIGTERM`, or null when the run was not aborted. */
  readonly abortReason: string | null;
}
