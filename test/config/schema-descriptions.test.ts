// Editors show a key's `description` from the JSON Schema as its hover text and completion detail: every key
// of every registered probe and sink type, and of the suite itself, has one, nested keys included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { suiteJsonSchema } from '../../src/config/schema.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';

type Json = { [key: string]: unknown };
type ByType = { properties: { type: Json }; allOf: { if: { properties: { type: { const: string } } }; then: Json }[] };

const schema = suiteJsonSchema();
const definitions = (schema.definitions ?? {}) as Record<string, Json>;

/** A local `$ref`'s target (`#/definitions/NAME`), else the node itself. */
function resolved(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const target = definitions[ref.replace(/^#\/definitions\//, '')];
  assert.ok(target, `unresolved $ref ${ref}`);
  return target;
}

/** Every key below `node` (object properties, in every branch, item and map value) without a description. */
function undescribed(node: unknown, path: string, seen = new Set<unknown>()): string[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return [];
  seen.add(node);
  if (Array.isArray(node)) return node.flatMap((item) => undescribed(item, path, seen));
  const schemaNode = resolved(node as Json);
  const missing: string[] = [];
  for (const [key, value] of Object.entries(schemaNode)) {
    if (key === 'properties') {
      for (const [name, property] of Object.entries(value as Record<string, Json>)) {
        const at = path === '' ? name : `${path}.${name}`;
        if (typeof property.description !== 'string' && typeof resolved(property).description !== 'string') missing.push(at);
        else if (String(property.description ?? resolved(property).description).trim() === '') missing.push(`${at} (empty)`);
        missing.push(...undescribed(property, at, seen));
      }
    } else if (key === 'items' || key === 'additionalProperties') {
      missing.push(...undescribed(value, `${path}[]`, seen));
    } else if (key !== 'if' && key !== 'not' && key !== 'propertyNames' && typeof value === 'object') {
      missing.push(...undescribed(value, path, seen));
    }
  }
  return missing;
}

/** The `then` of each registered type's branch under `probes` or `sinks`, by type. */
function branches(list: 'probes' | 'sinks', registry: Readonly<Record<string, unknown>>): [string, Json][] {
  const items = ((schema.properties as Record<string, { items: ByType }>)[list]!).items;
  return Object.keys(registry).map((type) => {
    const branch = items.allOf.find((b) => b.if.properties.type.const === type);
    assert.ok(branch, `the JSON Schema has no ${list} branch for the registered type ${type}`);
    return [type, branch.then];
  });
}

for (const [list, registry] of [['probes', probeTypes], ['sinks', sinkTypes]] as const) {
  const kind = list === 'probes' ? 'probe' : 'sink';
  for (const [type, branch] of branches(list, registry)) {
    test(`every key of the ${type} ${kind}, nested keys included, has a description`, () => {
      const missing = undescribed(branch, '');
      assert.deepEqual(missing, [], `${type} ${kind}: no description for ${missing.join(', ')}`);
    });
  }
}

test("every key of the suite's own (top level, defaults, store, signing) has a description", () => {
  const { probes, sinks, ...suiteKeys } = schema.properties as Record<string, Json>;
  const missing = undescribed({ properties: suiteKeys }, '');
  for (const [name, list] of [['probes', probes], ['sinks', sinks]] as const) {
    if (typeof list?.description !== 'string') missing.push(name);
    const type = (list?.items as ByType | undefined)?.properties.type;
    if (typeof type?.description !== 'string') missing.push(`${name}[].type`);
  }
  assert.deepEqual(missing, [], `suite: no description for ${missing.join(', ')}`);
});

test('the walk finds a missing description: a key without one, nested in a branch and an item, is named', () => {
  const described = { type: 'string', description: 'x' };
  const node = {
    properties: {
      a: described,
      b: { anyOf: [{ type: 'boolean' }, { type: 'object', properties: { table: { type: 'string' } } }], description: 'x' },
      c: { type: 'array', description: 'x', items: { type: 'object', properties: { d: { type: 'string' } } } },
      e: { $ref: '#/definitions/interpolated' },
    },
  };
  assert.deepEqual(undescribed(node, 'p'), ['p.b.table', 'p.c[].d']);
});

test('the docs a type\'s description points at exist: docs/probes/TYPE.md per probe type, a section of docs/sinks.md per sink type', () => {
  for (const type of Object.keys(probeTypes)) {
    assert.ok(existsSync(new URL(`../../docs/probes/${type}.md`, import.meta.url)), `docs/probes/${type}.md is missing`);
  }
  const sinks = readFileSync(new URL('../../docs/sinks.md', import.meta.url), 'utf8');
  for (const type of Object.keys(sinkTypes)) assert.match(sinks, new RegExp(`^## ${type}$`, 'm'), `docs/sinks.md has no "## ${type}" section`);
});
