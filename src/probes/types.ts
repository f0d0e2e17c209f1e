import type { z } from '../zod.ts';
import { onFirstUse } from '../spec-parts.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What one attempt saw. Durations are milliseconds; `duration` is added by the runner. */
export type Observed = { [field: string]: JsonValue };

/**
 * How a field of an observation is compared and displayed. `duration` fields hold milliseconds,
 * compare against duration operands and print as `47s`. Below an `any` field every path is allowed.
 */
export type FieldKind = 'duration' | 'number' | 'string' | 'boolean' | 'list' | 'object' | 'any';

/** Dotted paths of an observation (`status`, `tls.expiresIn`) and their kinds. */
export type FieldKinds = Readonly<Record<string, FieldKind>>;

export interface AttemptContext {
  /** Aborts at the attempt timeout, the run deadline or SIGTERM. Every socket must close on it. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** The suite name, e.g. to key a write canary. */
  readonly suite: string;
}

/**
 * A failed attempt is data: `ok: false` with one plain reason, e.g. `timeout after 5s` or
 * `connection refused (127.0.0.1:5432)`. Throwing from `observe` means a bug.
 */
export type Observation =
  | { readonly ok: true; readonly observed: Observed; readonly summary: string; readonly notes?: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly observed?: Observed; readonly retry?: false };

/** What a writeCheck concluded: the write was accepted (a note may say how), or why it was not. Observed as `writable`. */
export type WriteResult = { readonly writable: true; readonly note?: string } | { readonly writable: false; readonly reason: string };

/**
 * `retry: false` on a failed attempt: the target refused its credentials. Another attempt would only repeat
 * the refusal, and a burst of failed logins teaches a database's operator to block the verifier (docs/suite.md#how-attempts-are-scheduled).
 */
export function authRefused(refused: boolean): { readonly retry?: false } {
  return refused ? { retry: false } : {};
}

/** One attempt: observe once, within `ctx`'s signal. A failed target is data; throwing means a bug. */
export type Observe<S extends z.ZodObject = z.ZodObject> = (spec: z.output<S>, ctx: AttemptContext) => Promise<Observation>;

/**
 * One probe type: its spec's keys (beside the common name/type/timing/after/expect), what it
 * observes, and how to load the code that observes once. It knows nothing of retries, assertions, reports or sinks.
 * What checking a suite needs (spec, fields, target, hosts) is here; the code that opens connections, its driver
 * and the Node builtins behind them sit in a module `load` imports, so `validate` never loads them.
 */
export interface ProbeType<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly spec: S;
  readonly fields: FieldKinds;
  /** The assertions of a probe without `expect`; a function when they depend on the spec (a Service is not a Deployment). */
  readonly defaultExpect: readonly string[] | ((spec: z.output<S>) => readonly string[]);
  /**
   * Fields observed only when a spec key is set (`writable` with `writeCheck`): an `expect` line on one without
   * its key could never pass, so it is a configuration error.
   */
  readonly observedOnlyWith?: Readonly<Record<string, string>>;
  /** Where it points, for reports and records; never contains a secret or a password. */
  target(spec: z.output<S>): string;
  /**
   * The hosts an attempt connects to, as the spec names them (the driver's default `localhost` when it names
   * none): a name that is not an IP literal makes the runner start the host-lookup helper before any attempt.
   * Empty when the hosts are only known at attempt time (a kubeconfig's server); the helper then starts on the first lookup.
   */
  hosts(spec: z.output<S>): readonly string[];
  /** Whether the spec turns certificate verification off (`insecure: true`): the record marks the probe so. */
  insecure(spec: z.output<S>): boolean;
  /**
   * Imports the module that observes, with its driver. The runner awaits it once per type before the first
   * attempt: loading blocks the event loop, so its time must not count against an attempt's timeout.
   */
  load(): Promise<Observe<S>>;
}

/** A probe type as its module declares it: `spec` builds the schema, which defineProbe builds on first use and keeps. */
export type ProbeTypeDefinition<S extends z.ZodObject> = Omit<ProbeType<S>, 'spec'> & { readonly spec: () => S };

/**
 * The type with its schema built when first read: zod's schemas cost a start ~a millisecond per type to build
 * (docs/PERFORMANCE.md), and a suite reads only the types it uses (the JSON Schema, every one).
 */
export function defineProbe<S extends z.ZodObject>(probe: ProbeTypeDefinition<S>): ProbeType<S> {
  const spec = onFirstUse(probe.spec);
  return { ...probe, get spec() { return spec(); } };
}
