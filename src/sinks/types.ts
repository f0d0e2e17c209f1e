import type { z } from '../zod.ts';
import type { RunRecord } from '../record/types.ts';
import type { SinkWhen } from '../suite.ts';
import { onFirstUse } from '../spec-parts.ts';

export interface DeliveryContext {
  /** Aborts at the per-attempt timeout or when the delivery window closes. */
  readonly signal: AbortSignal;
  readonly attempt: number;
  /** This attempt's bound, for a server-side backstop such as postgres' statement_timeout. */
  readonly timeoutMs: number;
}

/** One delivery attempt's result; `retryable` for network errors and 5xx, never for 4xx. The delivery loop redacts `error`. */
export type DeliveryAttempt =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: string; readonly retryable: boolean; readonly retryAfterMs?: number };

/** One sink type: its spec's keys (beside type/on/required) and how it delivers a record once. */
export interface SinkType<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly spec: S;
  readonly defaultOn: SinkWhen;
  /** Where it delivers, for reports and logs; never contains a secret. */
  target(spec: z.output<S>): string;
  /** The hosts a delivery connects to, as for ProbeType.hosts: a name starts the host-lookup helper before the run. */
  hosts(spec: z.output<S>): readonly string[];
  deliver(record: RunRecord, spec: z.output<S>, ctx: DeliveryContext): Promise<DeliveryAttempt>;
}

/** A sink type as its module declares it: `spec` builds the schema, built on first use and kept (as defineProbe). */
export type SinkTypeDefinition<S extends z.ZodObject> = Omit<SinkType<S>, 'spec'> & { readonly spec: () => S };

export function defineSink<S extends z.ZodObject>(sink: SinkTypeDefinition<S>): SinkType<S> {
  const spec = onFirstUse(sink.spec);
  return { ...sink, get spec() { return spec(); } };
}
