import type { Assertion } from './assert/ast.ts';
import type { PostgresTableSpec } from './net/postgres/table-spec.ts';

/** Where a value was written: the file as the user named it, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = 'critical' | 'warning';

export interface Timing {
  readonly timeoutMs: number;
  readonly withinMs: number;
  readonly intervalMs: number;
  readonly passes: number;
  readonly severity: Severity;
}

/** A probe as declared and validated. `spec` has been checked against its type's schema. */
export interface ProbeConfig {
  readonly name: string;
  readonly type: string;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly timing: Timing;
  readonly after: readonly string[];
  readonly expect: readonly Assertion[];
  readonly at: SourcePosition;
}

export type SinkWhen = 'always' | 'failure' | 'success';

export interface SinkConfig {
  readonly type: string;
  readonly on: SinkWhen;
  readonly required: boolean;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly at: SourcePosition;
}

/** `store:` (src/store/spec.ts): a directory of record files, or the postgres sink's table. */
export interface FileStoreSpec { readonly path: string }
export type PostgresStoreSpec = PostgresTableSpec;
export type StoreSpec = ({ readonly kind: 'file' } & FileStoreSpec) | ({ readonly kind: 'postgres' } & PostgresStoreSpec);

export interface Suite {
  readonly name: string;
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly probes: readonly ProbeConfig[];
  readonly sinks: readonly SinkConfig[];
  /** `signing:` (src/signing/spec.ts); absent or null without. */
  readonly signing?: { readonly key: string } | null;
  /** `store:` (src/store/spec.ts); absent or null without. */
  readonly store?: StoreSpec | null;
  /** The files the suite was loaded from, in load order. */
  readonly files: readonly string[];
}

export interface ConfigError {
  readonly at: SourcePosition;
  /** Dotted path of the offending key, e.g. `probes[2].expect[0]`; empty for the document. */
  readonly path: string;
  readonly message: string;
}

/** `warnings`: the suite loads, but something in it will not show as its author expects (a secret that is also a word of the suite). */
export type LoadResult =
  | { readonly ok: true; readonly suite: Suite; readonly warnings: readonly ConfigError[] }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** By file, line and column: the order users read errors in. */
export function sortConfigErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort(
    (a, b) => compareText(a.at.file, b.at.file) || a.at.line - b.at.line || a.at.col - b.at.col,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
