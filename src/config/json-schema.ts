// The JSON Schema of a suite file, generated from the loader's zod schemas and shaped for editors, so that it
// agrees with `validate` (test/config/schema-agreement.test.ts lists where it cannot):
// - an interpolation (`${env:DB_PORT}`) is accepted wherever validate accepts one: in numbers, booleans,
//   durations, URLs and enums, which the file holds as text until it is interpolated;
// - a case-insensitive pattern (`/^https?:/i`) stays case-insensitive (JSON Schema patterns have no flags);
// - probes and sinks are `if`/`then` per `type`, so one typo in a probe gives one error in an editor, not one
//   per registered type as `oneOf` does;
// - a list of types becomes `anyOf`, which ajv's strict mode asks for.
type Json = { [key: string]: unknown };

/** A string holding a reference (`${…}`, not the literal `$${`): its value is only known once interpolated. */
export const INTERPOLATED = {
  type: 'string',
  pattern: '(?:^|[^$])\\$\\{',
  description: 'an interpolation (${env:NAME}, ${file:/path}, ${app:FIELD}, ${var:NAME}), checked once resolved',
};

const REF = { $ref: '#/definitions/interpolated' };

/** For z.toJSONSchema's `override`: a regex with the `i` flag written as a pattern without flags. */
export function keepCaseInsensitive(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const checks = (ctx.zodSchema as { _zod: { def: { checks?: { _zod: { def: { pattern?: unknown } } }[] } } })._zod.def.checks ?? [];
  const folded = checks.map((c) => c._zod.def.pattern).find((p): p is RegExp => p instanceof RegExp && p.flags.includes('i'));
  if (folded !== undefined && ctx.jsonSchema.pattern === folded.source) ctx.jsonSchema.pattern = caseInsensitive(folded.source);
}

/** `^https?:` → `^[hH][tT][tT][pP][sS]?:`; inside a class, `a-z` gains `A-Z` and a letter its other case. */
export function caseInsensitive(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (inClass && /[a-zA-Z]/.test(c) && source[i + 1] === '-' && /[a-zA-Z]/.test(source[i + 2] ?? '')) {
      const range = source.slice(i, i + 3);
      out += range + (range === range.toLowerCase() ? range.toUpperCase() : range.toLowerCase());
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) {
      const both = c.toLowerCase() + c.toUpperCase();
      out += inClass ? both : `[${both}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** The editor-shaped schema (see the file's comment) of the generated one. */
export function forEditors(generated: Json): Json {
  const schema = walk(generated, false) as Json;
  const properties = schema.properties as Record<string, Json>;
  for (const key of ['probes', 'sinks'] as const) {
    const list = properties[key]!;
    list.items = byType((list.items as { oneOf: Json[] }).oneOf, TYPE_TEXT[key]);
  }
  return { ...schema, definitions: { ...(schema.definitions as Json | undefined), interpolated: INTERPOLATED } };
}

const TYPE_TEXT = {
  probes: "the probe's type; each has its page: docs/probes/TYPE.md",
  sinks: "the sink's type; each has its section in docs/sinks.md",
} as const;

/** One `if`/`then` per type: `type` is checked first, then only the branch it names. */
function byType(branches: readonly Json[], typeText: string): Json {
  const typeOf = (b: Json) => ((b.properties as Record<string, { const: string }>).type!.const);
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { description: typeText, enum: branches.map(typeOf) } },
    allOf: branches.map((branch) => ({
      if: { properties: { type: { const: typeOf(branch) } }, required: ['type'] },
      then: branch,
    })),
  };
}

const SCALAR_TYPES = new Set(['integer', 'number', 'boolean']);

function walk(node: unknown, keyNames: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => walk(item, keyNames));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    // Map keys are taken as written, not interpolated; `type`'s const discriminates the branches.
    if (key === 'propertyNames' || key === 'const') out[key] = value;
    else out[key] = walk(value, keyNames);
  }
  if (Array.isArray(out.type)) {
    const { type, ...rest } = out;
    return walk({ ...rest, anyOf: (type as string[]).map((t) => ({ type: t })) }, keyNames);
  }
  return interpolable(out) ? acceptInterpolation(out) : out;
}

/** Whether validate would accept an interpolation where this value is written but the schema, as is, would not. */
function interpolable(node: Json): boolean {
  if (typeof node.type !== 'string') return false;
  if (SCALAR_TYPES.has(node.type)) return true;
  return node.type === 'string' && (node.pattern !== undefined || node.enum !== undefined || node.not !== undefined);
}

function acceptInterpolation(node: Json): Json {
  const { description, default: fallback, ...value } = node;
  return {
    ...(description === undefined ? {} : { description }),
    ...(fallback === undefined ? {} : { default: fallback }),
    anyOf: [value, REF],
  };
}
