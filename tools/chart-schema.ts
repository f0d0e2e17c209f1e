// chart/values.schema.json takes the suite's own JSON Schema (`syncproof schema`) for `suite`, so
// `helm lint`, `helm template` and Argo CD's manifest generation refuse a broken suite, with its
// values path, before anything syncs. The suite's part is generated here, never written by hand
// (taking an interpolated string wherever `syncproof validate` does, see below):
//   node tools/chart-schema.ts           rewrite chart/values.schema.json's `definitions.suiteFile`
//   node tools/chart-schema.ts --check   exit 1 when the file differs from what it would write
// The rest of values.schema.json (the chart's own values) is edited by hand; test/chart/suite-schema.test.ts
// fails when the two drift.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DURATION_PATTERN } from '../src/duration.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VALUES_SCHEMA = join(ROOT, 'chart', 'values.schema.json');
/** Where the suite's schema sits inside the chart's: refs into it are rewritten to point here. */
const BASE = '#/definitions/suiteFile';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The suite's JSON Schema as `node src/cli.ts schema` prints it. */
export function suiteSchema(): Record<string, Json> {
  const result = spawnSync(process.execPath, [join(ROOT, 'src', 'cli.ts'), 'schema'], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`syncproof schema failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, Json>;
}

// docs/suite.md#interpolation-and-secrets: any string may hold ${env:…}, ${file:…}, ${app:…} or ${var:…}, resolved in the Pod (a
// value interpolated into a number, duration or boolean field is read as that type), so Helm must
// take one wherever `syncproof validate` does. Where `syncproof schema` already accepts an
// interpolated string, nothing changes; where it does not (a port typed integer, a URL or duration
// pattern), the value may also be a string holding an interpolation.
const SAMPLE = '${env:SYNCPROOF_SAMPLE}';
const INTERPOLATED: Json = { type: 'string', pattern: '\\$\\{(env|file|app|var):' };

function acceptsSample(node: Json): boolean {
  if (node === true || (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 0)) return true;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches) && branches.some(acceptsSample)) return true;
  }
  const type = node.type;
  if (type !== undefined && type !== 'string' && !(Array.isArray(type) && type.includes('string'))) return false;
  if ('const' in node || 'enum' in node) return false;
  if (typeof node.pattern === 'string' && !new RegExp(node.pattern, 'u').test(SAMPLE)) return false;
  if (typeof node.maxLength === 'number' && SAMPLE.length > node.maxLength) return false;
  return type !== undefined;
}

/** A scalar value schema (no object, array or combinator) that refuses an interpolated string. */
function widen(node: Record<string, Json>): Json {
  const type = node.type;
  const scalar = typeof type === 'string' && ['string', 'integer', 'number', 'boolean'].includes(type);
  if (!scalar || 'const' in node || acceptsSample(node)) return node;
  return { anyOf: [node, INTERPOLATED] };
}

/** The suite schema as a subschema: no $schema/$id of its own, every local $ref re-rooted. */
function nested(value: Json, top = true): Json {
  if (Array.isArray(value)) return value.map((v) => nested(v, false));
  if (value === null || typeof value !== 'object') return value;
  if (!top && acceptsSample(value)) return rerooted(value);
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    if (top && (key === '$schema' || key === '$id')) continue;
    if (key === '$ref' && typeof v === 'string' && v.startsWith('#')) out[key] = BASE + v.slice(1);
    else if (SCHEMA_MAPS.has(key) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[key] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, nested(sub, false)]));
    } else out[key] = nested(v, false);
  }
  return widen(out);
}

/** Keywords whose value maps names to schemas (the names are not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

function rerooted(value: Json): Json {
  if (Array.isArray(value)) return value.map(rerooted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) =>
    [key, key === '$ref' && typeof v === 'string' && v.startsWith('#') ? BASE + v.slice(1) : rerooted(v)]));
}

/**
 * The chart's values schema with `definitions.suiteFile` replaced by the given suite schema, and
 * `properties.suite.properties.deadline` by the suite's: the templates read suite.deadline (the
 * Job's activeDeadlineSeconds) even with existingConfigMap, when the rest of the suite is not checked,
 * and it must be a literal duration there.
 */
export function withSuiteSchema(chartSchema: Record<string, Json>, suite: Record<string, Json>): string {
  const definitions = (chartSchema.definitions ?? {}) as Record<string, Json>;
  const properties = (chartSchema.properties ?? {}) as Record<string, Record<string, Json>>;
  const suiteProperties = (suite.properties ?? {}) as Record<string, Json>;
  // Literal here: the chart computes activeDeadlineSeconds from it, so no interpolation.
  // (The suite schema takes an interpolated duration too, since syncproof validate does: not here.)
  const deadline = (suiteProperties.deadline ?? {}) as Record<string, Json>;
  const literal = { description: deadline.description ?? null, default: deadline.default ?? '5m', type: 'string', pattern: DURATION_PATTERN, not: { pattern: '^(?:0+(?:\\.0*)?(?:d|h|ms|m|s))+$' } };
  const suiteValue = { ...properties.suite, properties: { deadline: literal } };
  const next = {
    ...chartSchema,
    properties: { ...properties, suite: suiteValue },
    definitions: { ...definitions, suiteFile: nested(suite) },
  };
  return `${JSON.stringify(next, null, 2)}\n`;
}

function main(): void {
  const current = readFileSync(VALUES_SCHEMA, 'utf8');
  const wanted = withSuiteSchema(JSON.parse(current) as Record<string, Json>, suiteSchema());
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      process.stderr.write('chart/values.schema.json is out of date with `syncproof schema`: run node tools/chart-schema.ts\n');
      process.exit(1);
    }
    return;
  }
  if (current !== wanted) writeFileSync(VALUES_SCHEMA, wanted);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
