// What a stored record must look like for syncproof to read it back. A store is untrusted input like any
// target: a row or a file that is not a record is reported and skipped, never half-read.
import { z } from '../zod.ts';
import type { RunRecord } from '../record/types.ts';

const verdicts = ['passed', 'failed', 'warned', 'skipped'] as const;
const text = z.string().check(z.maxLength(1 << 20));
const nullableText = z.nullable(text);

const probe = z.looseObject({
  name: text,
  type: text,
  target: text,
  severity: z.enum(['critical', 'warning']),
  verdict: z.enum(verdicts),
  attempts: z.number(),
  durationMs: z.number(),
  error: nullableText,
  observed: z.nullable(z.json()),
  assertions: z.array(z.looseObject({ expect: text, actual: text, passed: z.boolean() })),
  summary: text,
});

export const storedRecordSchema = z.looseObject({
  version: z.literal(1),
  id: text,
  suite: text,
  app: z.looseObject({ name: nullableText, namespace: nullableText, project: nullableText, revision: nullableText, repoURL: nullableText }),
  startedAt: text,
  finishedAt: text,
  durationMs: z.number(),
  verdict: z.enum(['passed', 'failed', 'aborted']),
  abortReason: z.default(nullableText, null),
  counts: z.looseObject({ total: z.number(), passed: z.number(), failed: z.number(), warned: z.number(), skipped: z.number() }),
  probes: z.array(probe).check(z.maxLength(10_000)),
  runner: z.looseObject({ version: text, pod: nullableText }),
});

/** A record read back from a store: the shape of a RunRecord, checked. */
export type StoredRecord = RunRecord;

export function parseStoredRecord(value: unknown): StoredRecord | undefined {
  const parsed = storedRecordSchema.safeParse(value);
  return parsed.success ? (parsed.data as unknown as StoredRecord) : undefined;
}
