import type { Observed } from '../probes/types.ts';
import type { AssertionResult } from '../assert/ast.ts';
import type { Severity } from '../suite.ts';
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
  /** The one-line text the report shows after the probe's name, e.g. `200 in 35ms` or `replication.lag = 47s (expected < 10s)`. */
  readonly summary: string;
  /** Set when the probe turns off certificate verification. */
  readonly insecure?: true;
  /** Assertions the run did not evaluate (a `baseline` it did not have), and why (src/run/evidence.ts). */
  readonly notEvaluated?: readonly { readonly expect: string; readonly reason: string }[];
  /** With a store: this probe in the last run of the suite and app (its verdict there), or null. */
  readonly previous?: { readonly id: string; readonly revision: string | null; readonly verdict: ProbeVerdict } | null;
  /** With a store: null when it passed both times, or when the store could not be read. */
  readonly regression?: Regression | null;
}

export type Regression = 'regressed' | 'still-failing' | 'recovered' | 'new';

/** A run in the record's `store` summary. */
export interface RunRef {
  readonly id: string;
  readonly revision: string | null;
  readonly verdict: RunVerdict;
  readonly startedAt: string;
}

export interface SinkDelivery {
  readonly type: string;
  readonly target: string;
  readonly required: boolean;
  readonly outcome: 'delivered' | 'failed' | 'not-sent';
  readonly attempts: number;
  readonly error: string | null;
}

/** The evidence of one run (README.md#the-report-and-the-record), the only shape reports and sinks read. */
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
  /** With `store`: where it was read, the runs read (regressions from `previous`, baselines from `baseline`), or why not. */
  readonly store?: { readonly target: string; readonly previous: RunRef | null; readonly baseline: RunRef | null; readonly error: string | null };
  /** With `signing` (src/signing/sign.ts). */
  readonly signature?: RecordSignature;
}

/** The record's `signature`, plus the signed field digests `verify` names altered fields with (docs/signing.md). */
export interface RecordSignature {
  readonly alg: 'Ed25519';
  readonly keyId: string;
  /** Base64 Ed25519 signature of the RFC 8785 canonical JSON of the record without `signature`. */
  readonly value: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Base64 Ed25519 signature of the canonical JSON of `fields`. */
  readonly fieldsValue: string;
}
