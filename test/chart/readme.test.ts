// chart/README.md: every value is in the table and the schema; the Argo CD Application passes the
// app context with forceString. (The notifications example moved to docs/argocd.md: test/chart/argocd-docs.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART } from './support/tools.ts';

const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] as string) as Record<string, unknown>);
const table = readme.slice(readme.indexOf('## Values'));
type Schema = { properties?: Record<string, Schema> };
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Schema;

test('every value of values.yaml is in the README table and in values.schema.json', () => {
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    assert.ok(schema.properties?.[key], `${key} in the schema`);
    const nested = value && typeof value === 'object' && schema.properties?.[key]?.properties && key !== 'suite' ? Object.keys(value) : [];
    if (nested.length === 0) assert.ok(table.includes(`\`${key}\``), `${key} in the table`);
    for (const sub of nested) {
      assert.ok(schema.properties?.[key]?.properties?.[sub], `${key}.${sub} in the schema`);
      assert.ok(table.includes(`\`${key}.${sub}\``) || table.includes(`\`.${sub}\``), `${key}.${sub} in the table`);
    }
  }
});

test('the Application passes $ARGOCD_APP_* as helm.parameters with forceString, to values that exist', () => {
  const app = blocks.find((b) => b.kind === 'Application') as { spec: { source: { helm: { parameters: Array<{ name: string; value: string; forceString?: boolean }> } } } };
  const params = app.spec.source.helm.parameters;
  assert.ok(params.some((p) => p.value === '$ARGOCD_APP_REVISION'));
  for (const p of params) {
    assert.equal(p.forceString, true, p.name);
    assert.match(p.value, /^\$ARGOCD_APP_[A-Z_]+$/);
    const [top, sub] = p.name.split('.');
    assert.ok(schema.properties?.[top as string]?.properties?.[sub as string], `${p.name} is a value`);
  }
});
