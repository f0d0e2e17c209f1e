// The committed JSON Schema is the one generated from the loader's zod schemas, and editors can use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { suiteJsonSchema } from '../../src/config/schema.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';

const committed = new URL('../../schema/suite.schema.json', import.meta.url);

test('schema/suite.schema.json is up to date', () => {
  const generated = `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`;
  assert.ok(
    readFileSync(committed, 'utf8') === generated,
    'schema/suite.schema.json differs from the zod schemas; regenerate it with: node src/cli.ts schema > schema/suite.schema.json',
  );
});

type Branch = { properties: Record<string, { const?: string }>; required?: string[]; additionalProperties?: boolean };
type ByType = { properties: { type: { enum: string[] } }; allOf: { if: { properties: { type: { const: string } } }; then: Branch }[] };

test('a draft-07 schema: probes and sinks are if/then per registered type, keyed by a type const', () => {
  const schema = suiteJsonSchema() as { $schema: string; properties: Record<string, { items?: ByType }>; additionalProperties: boolean };
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
  for (const [key, registry] of [['probes', probeTypes], ['sinks', sinkTypes]] as const) {
    const items = schema.properties[key]!.items!;
    assert.deepEqual(items.properties.type.enum, Object.keys(registry), key);
    assert.deepEqual(items.allOf.map((b) => b.if.properties.type.const), Object.keys(registry), key);
    for (const { then: branch } of items.allOf) {
      assert.equal(branch.additionalProperties, false);
      assert.ok(branch.required?.includes('type'));
    }
  }
  const tcp = schema.properties.probes!.items!.allOf.find((b) => b.if.properties.type.const === 'tcp')!.then;
  assert.deepEqual(Object.keys(tcp.properties).sort(), ['after', 'expect', 'host', 'interval', 'name', 'passes', 'port', 'severity', 'timeout', 'type', 'within']);
  assert.deepEqual(tcp.required?.sort(), ['host', 'name', 'port', 'type']);
});
