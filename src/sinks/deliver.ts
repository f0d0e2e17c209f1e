// The one delivery loop every sink shares: `on`, parallel deliveries, a timeout per attempt, one
// window for the whole, retries with exponential backoff and jitter, `Retry-After`, logging.
import type { SinkConfig, SinkWhen } from '../suite.ts';
import { formatDuration } from '../duration.ts';
import type { Logger } from '../log.ts';
import type { RunRecord, RunVerdict, SinkDelivery } from '../record/types.ts';
import { pause } from '../process/semaphore.ts';
import { redact } from '../secrets.ts';
import { sinkTypes } from './index.ts';
import { attemptSignal } from '../process/attempt-signal.ts';
import { attemptOnce } from './attempt.ts';
import type { DeliveryAttempt } from './types.ts';

export interface DeliverOptions {
  /** The whole delivery window, e.g. the 10 s grace after SIGTERM. */
  readonly windowMs: number;
  readonly log: Logger;
  /** Attempts per sink (default 3). */
  readonly attempts?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_ATTEMPTS = 3;
/** One attempt's bound when the sink's spec has no `timeout` of its own. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 500;

type Failure = Extract<DeliveryAttempt, { ok: false }>;

export async function deliverAll(record: RunRecord, sinks: readonly SinkConfig[], options: DeliverOptions): Promise<SinkDelivery[]> {
  // The window closes at its end or with the caller's signal, like one attempt of a probe.
  const window = attemptSignal(options.signal ?? new AbortController().signal, options.windowMs);
  const closes = Date.now() + options.windowMs;
  try {
    return await Promise.all(sinks.map((config) => deliverOne(record, config, { ...options, signal: window.signal }, closes)));
  } finally {
    window.release();
  }
}

/** Whether a sink with this `on` receives a record with this verdict; an aborted run counts as a failure. */
export function sendsOn(on: SinkWhen, verdict: RunVerdict): boolean {
  return on === 'always' || (on === 'success') === (verdict === 'passed');
}

interface LoopOptions extends DeliverOptions {
  readonly signal: AbortSignal;
}

async function deliverOne(record: RunRecord, config: SinkConfig, options: LoopOptions, closes: number): Promise<SinkDelivery> {
  const sink = sinkTypes[config.type];
  if (!sink) throw new Error(`bug: sink type "${config.type}" passed validation but is not registered`);
  const target = redact(sink.target(config.spec));
  const base = { type: config.type, target, required: config.required };
  const log = options.log.child({ sink: config.type, target });
  if (!sendsOn(config.on, record.verdict)) {
    log.info({ on: config.on, verdict: record.verdict }, 'sink not sent');
    return { ...base, outcome: 'not-sent', attempts: 0, error: `on: ${config.on}` };
  }
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const timeoutMs = attemptTimeoutMs(config.spec);
  let attempt = 0;
  let last: Failure | undefined;
  let note = '';
  while (attempt < attempts && !options.signal.aborted) {
    attempt++;
    const result = await attemptOnce(sink, record, config.spec, { attempt, timeoutMs, window: options.signal, closed: windowClosedReason(options) });
    if (result.ok) {
      log.info({ attempt }, 'sink delivered');
      return { ...base, outcome: 'delivered', attempts: attempt, error: null };
    }
    last = { ...result, error: redact(result.error) }; // the one place a sink's error text is redacted
    if (!result.retryable || attempt === attempts) {
      log.warn({ attempt, error: last.error, retryable: result.retryable }, 'sink attempt failed');
      break;
    }
    const delayMs = retryDelayMs(attempt, result.retryAfterMs);
    if (Date.now() + delayMs >= closes) {
      if (result.retryAfterMs !== undefined) note = `; Retry-After ${formatDuration(result.retryAfterMs)} is past the delivery window`;
      log.warn({ attempt, error: last.error, retryAfterMs: result.retryAfterMs }, 'sink attempt failed; no time left to retry');
      break;
    }
    log.warn({ attempt, error: last.error, retryInMs: delayMs }, 'sink attempt failed; retrying');
    await pause(delayMs, options.signal);
  }
  const error = last ? `${last.error}${note}` : windowClosedReason(options);
  const level = config.required ? 'error' : 'warn';
  log[level]({ attempts: attempt, error, required: config.required }, 'sink delivery failed');
  return { ...base, outcome: 'failed', attempts: attempt, error };
}

function windowClosedReason(options: LoopOptions): string {
  return `delivery window of ${formatDuration(options.windowMs)} closed`;
}

/** Exponential backoff with jitter (half to all of 0.5 s, 1 s, 2 s, …), never sooner than `Retry-After`. */
export function retryDelayMs(attempt: number, retryAfterMs?: number): number {
  const backoff = BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
  return Math.round(Math.max(backoff, retryAfterMs ?? 0));
}

function attemptTimeoutMs(spec: SinkConfig['spec']): number {
  // A sink whose spec has a `timeout` (validated into milliseconds) bounds its own attempts.
  const own = spec.timeout;
  return typeof own === 'number' && own > 0 ? own : DEFAULT_ATTEMPT_TIMEOUT_MS;
}
