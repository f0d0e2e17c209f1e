// The suite file's zod schemas: the loader validates with them and the JSON Schema is generated from them.
import { toJSONSchema, z } from '../zod.ts';
import { probeTypes } from '../probes/index.ts';
import type { ProbeType } from '../probes/types.ts';
import { sinkTypes } from '../sinks/index.ts';
import { forEditors, keepCaseInsensitive } from './json-schema.ts';
import { signingSchema } from '../signing/spec.ts';
import { storeSchema } from '../store/spec.ts';
import { duration } from '../spec-parts.ts';

export const BUILT_IN = {
  concurrency: 8,
  deadline: '5m',
  timeout: '5s',
  within: '30s',
  interval: '2s',
  passes: 1,
  severity: 'critical',
} as const;

const passes = () => z.meta(z.number().check(z.int(), z.gte(1)), { description: 'consecutive passing attempts required' });
const severity = () =>
  z.meta(z.enum(['critical', 'warning']), { description: 'warning: a failing probe is reported and never fails the run' });

const TIMING_TEXT = {
  timeout: 'one attempt',
  within: 'keep retrying a failing probe this long after its first attempt (0s: one attempt)',
  interval: 'pause between attempts',
} as const;

export const defaultsSchema = z.meta(
  z.strictObject({
    timeout: duration({ positive: true, default: BUILT_IN.timeout, description: TIMING_TEXT.timeout }),
    within: duration({ default: BUILT_IN.within, description: TIMING_TEXT.within }),
    interval: duration({ default: BUILT_IN.interval, description: TIMING_TEXT.interval }),
    passes: z.default(passes(), BUILT_IN.passes),
    severity: z.default(severity(), BUILT_IN.severity),
  }),
  { description: 'timing and severity for every probe of every file' },
);

export const TIMING_KEYS = ['timeout', 'within', 'interval', 'passes', 'severity'] as const;

// C0 and C1 control characters, line breaks included: a name is printed on one line of the report.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The refinements of `label` as a JSON Schema pattern: no control character, no whitespace at either end. */
// \xHH, not \uHHHH: the pattern must also run on Go's RE2 (Helm checks the chart's values schema with it).
const LABEL_PATTERN = '^[^\\s\\x00-\\x1f\\x7f-\\x9f](?:[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f])?$';

/** A name shown in reports and records: one line, no control characters, no spaces around it. */
function label(description: string) {
  const text = z.string().check(
    z.minLength(1),
    z.refine((t) => !CONTROL.test(t), 'must be one line without control characters (it is printed in reports)'),
    z.refine((t) => t.trim() === t, 'must not start or end with whitespace'),
  );
  return z.meta(text, { description, pattern: LABEL_PATTERN });
}

/** The keys every probe has, beside `type` and its type's own keys. */
export const probeCommonShape = {
  name: label('unique in the suite'),
  after: z.meta(z.default(z.array(z.string().check(z.minLength(1))), []), { description: 'run only after these probes passed, else this one is skipped', uniqueItems: true }),
  expect: z.meta(z.optional(z.array(z.string())), { description: "assertion lines; absent: the type's defaults; []: none" }),
  timeout: z.optional(duration({ positive: true, description: TIMING_TEXT.timeout })),
  within: z.optional(duration({ description: TIMING_TEXT.within })),
  interval: z.optional(duration({ description: TIMING_TEXT.interval })),
  passes: z.optional(passes()),
  severity: z.optional(severity()),
};

/** One probe: a strict object per registered type, discriminated by `type`. */
export function probeSchema() {
  const options = Object.values(probeTypes).map(probeTypeSchema);
  return z.discriminatedUnion('type', options as [(typeof options)[number], ...typeof options]);
}

const probeTypeSchemas = new Map<ProbeType, ReturnType<typeof buildProbeTypeSchema>>();

/**
 * One probe type's schema, built on first use: a suite pays only for the types it uses. For a probe whose
 * `type` names it, it checks exactly what `probeSchema()` does (the union hands such a probe to this option).
 */
export function probeTypeSchema(type: ProbeType) {
  let schema = probeTypeSchemas.get(type);
  if (schema === undefined) probeTypeSchemas.set(type, (schema = buildProbeTypeSchema(type)));
  return schema;
}

function buildProbeTypeSchema(t: ProbeType) {
  const type = z.meta(z.literal(t.type), { description: `the probe's type; its keys and fields: docs/probes/${t.type}.md` });
  return withKeys(t.spec, { ...probeCommonShape, type }, `${t.type} probe`);
}

/** One sink: a strict object per registered type, discriminated by `type`. */
export function sinkSchema() {
  const options = Object.values(sinkTypes).map((t) =>
    withKeys(t.spec, {
      type: z.meta(z.literal(t.type), { description: `the sink's type; its keys: docs/sinks.md#${t.type}` }),
      on: z.meta(z.default(z.enum(['always', 'failure', 'success']), t.defaultOn), { description: 'when to deliver' }),
      required: z.meta(z.default(z.boolean(), false), { description: "a failed delivery fails the run (evidence not recorded)" }),
    }, `${t.type} sink`),
  );
  return z.discriminatedUnion('type', options as [(typeof options)[number], ...typeof options]);
}

/**
 * A type's spec with the keys every probe (or sink) has. Extending the spec object itself, not copying its
 * `shape`, keeps the spec's own object-level checks (`.refine`/`.superRefine` across its keys), so they run
 * here at the boundary. A check that reads a key which may have failed its own refinement passes `afterKeyChecks`
 * (./spec-parts.ts).
 */
function withKeys<S extends z.ZodObject, E extends z.core.$ZodLooseShape>(spec: S, common: E, title: string) {
  const clash = Object.keys(common).filter((key) => Object.hasOwn(spec.shape, key));
  if (clash.length > 0) throw new Error(`${title}: its spec redefines the common key(s) ${clash.join(', ')}`);
  return z.meta(z.catchall(z.safeExtend(spec, common), z.never()), { title });
}

const topShape = {
  suite: z.optional(label("the suite's name; default: $ARGOCD_APP_NAME, else the first file's base name")),
  concurrency: z.meta(z.default(z.number().check(z.int(), z.gte(1)), BUILT_IN.concurrency), { description: 'attempts in flight at once' }),
  deadline: duration({ positive: true, default: BUILT_IN.deadline, description: 'the whole run; in-flight attempts are aborted at it' }),
  defaults: z.optional(defaultsSchema),
  signing: z.optional(signingSchema),
};

/** What the loader checks first in each file; probes and sinks are then checked one by one with their schemas. */
export function fileTopSchema() {
  return z.strictObject({ ...topShape, probes: z.optional(z.array(z.unknown())), sinks: z.optional(z.array(z.unknown())), store: z.optional(z.unknown()) });
}

/** One suite file as a whole (a directory's files each satisfy it). */
export function fileSchema() {
  const file = z.strictObject({
    ...topShape,
    store: z.optional(storeSchema()),
    probes: z.meta(z.optional(z.array(probeSchema()).check(z.minLength(1))), { description: 'the probes; a suite needs at least one' }),
    sinks: z.meta(z.optional(z.array(sinkSchema())), { description: 'where the run record goes' }),
  });
  return z.meta(file, { title: 'syncproof suite', description: 'A syncproof suite file (docs/suite.md). Files of a directory merge into one suite.' });
}

export function suiteJsonSchema(): Record<string, unknown> {
  return forEditors(toJSONSchema(fileSchema(), { target: 'draft-7', io: 'input', override: keepCaseInsensitive }) as Record<string, unknown>);
}
