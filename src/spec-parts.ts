// Schema pieces that the suite schema shares with the probe and sink specs. It imports no probe or sink,
// so a spec can use it without an import cycle through the registries that src/config/schema.ts reads.
import { z } from './zod.ts';
import { DURATION_PATTERN, durationHint, durationProblem, formatDuration, parseDuration } from './duration.ts';
import { redact } from './secrets.ts';

const DURATION = new RegExp(DURATION_PATTERN);
/** Node.js keeps timers up to 2^31-1 ms (24.8 days) and fires longer ones at once; 24d leaves room for the grace. */
export const MAX_DURATION_MS = 24 * 86_400_000;

/** A duration text such as `1m30s`, read as milliseconds; every duration key of a suite uses it. */
export function duration(options: { positive?: boolean; default?: string; description: string }) {
  const text = options.positive ? positiveDurationText() : durationText();
  const withDefault = options.default === undefined ? text : z.default(text, options.default);
  // `not`: the JSON Schema's form of "longer than 0s" (a duration of zeros only).
  const positive = options.positive ? { not: { pattern: '^(?:0+(?:\\.0*)?(?:d|h|ms|m|s))+$' } } : {};
  return z.meta(z.transformed(withDefault, (t) => parseDuration(t) ?? 0), { description: options.description, ...positive });
}

// The text's checks, built once and shared by every duration key (a schema is immutable): each check is
// a copy of the schema before it, so a key built from scratch cost ~10 zod objects (docs/PERFORMANCE.md).
const durationText = onFirstUse(() => {
  const message = (input: unknown) => {
    const problem = typeof input === 'string' ? durationProblem(input) : undefined;
    return `must be a duration ${durationHint(problem ?? { kind: 'syntax' })}, got ${describeInput(input)}`;
  };
  return z.string({ error: (iss) => message(iss.input) }).check(
    z.regex(DURATION, { abort: true, error: (iss) => message(iss.input) }),
    z.refine((t) => (parseDuration(t) ?? 0) <= MAX_DURATION_MS, `must be at most ${formatDuration(MAX_DURATION_MS)}`),
  );
});
const positiveDurationText = onFirstUse(() => durationText().check(z.refine((t) => (parseDuration(t) ?? 0) > 0, 'must be longer than 0s')));

/**
 * A schema (or a set of them) built on first use and kept: a module that declares it costs nothing at import,
 * and a suite pays only for the schemas its probes and sinks use (docs/PERFORMANCE.md).
 */
export function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * For a spec's `.refine`/`.superRefine` across its keys: run only when every key passed its own checks. zod
 * skips such a check when a key has the wrong type but, by default, runs it after a key's own refinement
 * failed (say `url` is not a valid URL), where reading that key could throw or report the same mistake twice.
 */
export const afterKeyChecks = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

/** `"5 s"`, `number 5`, `a list`: what the user wrote, briefly. */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (typeof input === 'string') {
    const text = redact(input); // before cutting: a cut secret would no longer match its mask
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  }
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${String(input)}`;
}
