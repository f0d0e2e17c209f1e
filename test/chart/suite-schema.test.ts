// The chart's values schema holds the suite's own JSON Schema, generated from `syncproof schema`
// by tools/chart-schema.ts: never out of date, and a broken suite is refused at render time
// (helm template, helm lint, Argo CD's manifest generation) with its values path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { suiteSchema, VALUES_SCHEMA, withSuiteSchema } from '../../tools/chart-schema.ts';
import { missingTools } from './support/tools.ts';
import { BASE, refused, renderWith } from './support/argocd.ts';

const skip = missingTools();
const text = readFileSync(VALUES_SCHEMA, 'utf8');

test('chart/values.schema.json holds what tools/chart-schema.ts makes of `syncproof schema` today', () => {
  assert.equal(text, withSuiteSchema(JSON.parse(text), suiteSchema()), 'run: node tools/chart-schema.ts');
});

test('an independent validator (ajv) reads the chart schema the same way', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(text) as object);
  const defaults = parse(readFileSync(join(import.meta.dirname, '..', '..', 'chart', 'values.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(validate({ ...defaults, ...BASE }), true, JSON.stringify(validate.errors));
  const broken = { ...defaults, ...BASE, suite: { probes: [{ name: 'health', type: 'http', urll: 'http://x' }] } };
  assert.equal(validate(broken), false);
  assert.ok(validate.errors?.some((e) => e.instancePath === '/suite/probes/0'), JSON.stringify(validate.errors));
  assert.equal(validate({ ...defaults, ...BASE, suite: {}, existingConfigMap: 'orders-suites' }), true, 'with existingConfigMap the suite is not checked');
});

test('helm template refuses a broken suite with its values path', { skip }, () => {
  const probe = (extra: Record<string, unknown>) => ({ ...BASE, suite: { probes: [{ name: 'health', type: 'http', url: 'http://orders.orders.svc:8080/healthz', ...extra }] } });
  refused(probe({ urll: 'http://typo' }), /suite[./]probes[./]0\b.*urll/);
  refused(probe({ timeout: '5 seconds' }), /suite[./]probes[./]0[./]timeout/);
  refused({ ...BASE, suite: { probes: [] } }, /suite[./]probes/);
  refused({ ...BASE, suite: { ...BASE.suite, concurrency: 0 } }, /suite[./]concurrency/);
  refused({ ...BASE, suite: { ...BASE.suite, sinks: [{ type: 'webhook' }] } }, /suite[./]sinks[./]0/);
  assert.ok(renderWith({ ...BASE, existingConfigMap: 'orders-suites', suite: {} }).length > 0, 'not checked with existingConfigMap');
});

test('an interpolated value is taken wherever syncproof validate takes one; the chart still refuses a literal wrong one', { skip }, () => {
  const suite = (probe: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...BASE, suite: { probes: [probe], ...extra } });
  const db = { name: 'db port', type: 'tcp', host: '${env:DB_HOST}', port: '${env:DB_PORT}', timeout: '${var:DB_TIMEOUT}' };
  assert.ok(renderWith(suite(db)).length > 0);
  assert.ok(renderWith(suite({ name: 'health', type: 'http', url: '${env:TARGET_URL}/healthz' })).length > 0);
  refused(suite({ ...db, port: 'five' }), /suite[./]probes[./]0[./]port/);
  refused(suite(db, { deadline: '${env:DEADLINE}' }), /suite[./]deadline/);
});

test('where the suite schema already takes an interpolated string, the chart copy is the same', () => {
  const port = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\$\\{' }] };
  const suite = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { port, name: { type: 'string', minLength: 1 }, url: { type: 'string', pattern: '^https?://' } } };
  const out = JSON.parse(withSuiteSchema({ properties: { suite: {} } }, JSON.parse(JSON.stringify(suite)))) as { definitions: { suiteFile: { properties: Record<string, unknown> } } };
  assert.deepEqual(out.definitions.suiteFile.properties.port, port);
  assert.deepEqual(out.definitions.suiteFile.properties.name, suite.properties.name);
  assert.deepEqual((out.definitions.suiteFile.properties.url as { anyOf: unknown[] }).anyOf[0], suite.properties.url, 'a URL pattern refusing ${…} is widened');
});
