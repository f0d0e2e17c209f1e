// chart/values.schema.json takes the suite's own JSON Schema (`syncproof schema`) for `suite`, so
// `helm lint`, `helm template` and Argo CD's manifest generation refuse a broken suite, with its
// values path, before anything syncs. The suite's part is generated here, never written by hand:
//   node tools/chart-schema.ts           rewrite chart/values.schema.json's `definitions.suiteFile`
//   node tools/chart-schema.ts --check   exit 1 when the file differs from what it would write
// The rest of values.schema.json (the chart's own values) is edited by hand; test/chart/suite-schema.test.ts
// fails when the two drift.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The suite schema as a subschema: no $schema/$id of its own, every local $ref re-rooted. */
function nested(value: Json, top = true): Json {
  if (Array.isArray(value)) return value.map((v) => nested(v, false));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    if (top && (key === '$schema' || key === '$id')) continue;
    if (key === '$ref' && typeof v === 'string' && v.startsWith('#')) out[key] = BASE + v.slice(1);
    else out[key] = nested(v, false);
  }
  return out;
}

/**
 * The chart's values schema with `definitions.suiteFile` replaced by the given suite schema, and
 * `properties.suite.properties.deadline` by the suite's: the templates read suite.deadline (the
 * Job's activeDeadlineSeconds) even with existingConfigMap, when the rest of the suite is not checked.
 */
export function withSuiteSchema(chartSchema: Record<string, Json>, suite: Record<string, Json>): string {
  const definitions = (chartSchema.definitions ?? {}) as Record<string, Json>;
  const properties = (chartSchema.properties ?? {}) as Record<string, Record<string, Json>>;
  const suiteProperties = (suite.properties ?? {}) as Record<string, Json>;
  const suiteValue = { ...properties.suite, properties: { deadline: nested(suiteProperties.deadline ?? {}, false) } };
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
