// chart/README.md: every value is in the table and the schema; the Argo CD Application passes the
// app context with forceString; the Notifications template prints the failed hook's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CHART, helmTemplate, missingTools } from './support/tools.ts';

const skip = missingTools();
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

test('the on-sync-failed template prints the failed PostSync hook and its message', { skip }, (t) => {
  const cm = blocks.find((b) => b.data) as { data: Record<string, string> };
  const trigger = parse(cm.data['trigger.on-sync-failed'] as string) as Array<{ send: string[] }>;
  const name = trigger[0]?.send[0] as string;
  const template = parse(cm.data[`template.${name}`] as string) as { message: string };
  // Argo CD Notifications executes templates with text/template and sprig, as Helm does.
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-notify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: notify\nversion: 0.0.1\n');
  writeFileSync(join(dir, 'templates', 'message.yaml'), 'message: {{ tpl .Values.message (dict "app" .Values.app) | toJson }}\n');
  const message = 'Container syncproof for pod orders/orders-syncproof-x7k2p failed with exit code 1 matching FailJob rule at index 1';
  writeFileSync(join(dir, 'values.yaml'), stringify({
    message: template.message,
    app: { metadata: { name: 'orders' }, status: { operationState: { phase: 'Failed', syncResult: { revision: '3f2a9c1', resources: [
      { kind: 'Deployment', name: 'orders', hookType: '', hookPhase: '', message: 'deployment.apps/orders configured' },
      { kind: 'Job', name: 'orders-syncproof', hookType: 'PostSync', hookPhase: 'Failed', message },
    ] } } } },
  }));
  const result = helmTemplate('n', dir, []);
  assert.equal(result.ok, true, result.stderr);
  const printed = (parse(result.stdout.replace(/^---\n# Source: .*\n/, '')) as { message: string }).message;
  assert.match(printed, /^orders: sync of 3f2a9c1 failed\./);
  assert.ok(printed.includes(`Job orders-syncproof: ${message}`), printed);
  assert.ok(!printed.includes('deployment.apps/orders configured'), 'only hooks are listed');
});
