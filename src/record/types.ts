import type { Observed } from '../probes/types.ts';
import type { AssertionResult } from '../assert/ast.ts';
import type { Severity } from '../config/types.ts';
import type { AppContext } from '../app-context.ts';

export type RunVerdict = 'passed' | 'failed' | 'aborted';
export type ProbeVerdict = 'passed' | 'failed' | 'warned' | 'skipped';


export type { AppContext };

export interface ProbeRecord {
  readonly name: string;
  readonly type: string;
  readonly target: string;
  readonly severity: Severity;
  readonly verdict: ProbeVerdict;
  readonly attempts: number;
  readonly durationMs: number;
  /** Why the last attempt could not observe, or why the probe was skipped or aborted. */
  readonly error: string | null;
  readonly observed: Observed | null;
  readonly assertions: readonly AssertionResult[];
  /** The one-line text the report shows after the probe's name. */
  readonly summary: string;
  /** Set when the probe turns off certificate verification. */
  readonly insecure?: true;
}

export interface SinkDelivery {
  readonly type: string;
  readonly target: string;
  readonly required: boolean;
  readonly outcome: 'delivered' | 'failed' | 'not-sent';
  readonly attempts: number;
  readonly error: string | null;
}

/** SPEC §7: the evidence of one run, the only shape reports and sinks read. */
export interface RunRecord {
  readonly version: 1;
  readonly id: string;
  readonly suite: string;
  readonly app: AppContext;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly verdict: RunVerdict;
  /** Why the run was aborted (`deadline 5m reached`, `SIGTERM`), else null. */
  readonly abortReason: string | null;
  readonly counts: { readonly total: number; readonly passed: number; readonly failed: number; readonly warned: number; readonly skipped: number };
  readonly probes: readonly ProbeRecord[];
  readonly runner: { readonly version: string; readonly pod: string | null };
}
