// docs/argocd.md's examples, run where they can be offline: the notifications template (Go
// text/template + sprig, as Argo CD Notifications runs it) for a single- and a multi-source app, and
// the kustomize layout that gives the hooks the revision without touching the app's pod templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { find, helmTemplate, HOOKS, kustomize, missingTools, parseManifests, REPO, type K8sObject } from './support/tools.ts';
import { envOf, jobSpec } from './support/semantics.ts';

const skip = missingTools();
const doc = readFileSync(join(REPO, 'docs', 'argocd.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] as string) as Record<string, unknown>);
const cm = blocks.find((b) => (b.data as Record<string, string> | undefined)?.['trigger.on-syncproof-failed']) as { data: Record<string, string> };
const MESSAGE = 'Container syncproof for pod orders/orders-syncproof-x7k2p failed with exit code 1 matching FailJob rule at index 1';

function renderMessage(t: { after: (fn: () => void) => void }, syncResult: Record<string, unknown>): string {
  const trigger = parse(cm.data['trigger.on-syncproof-failed'] as string) as Array<{ send: string[] }>;
  const template = parse(cm.data[`template.${trigger[0]?.send[0]}`] as string) as { message: string };
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-notify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: notify\nversion: 0.0.1\n');
  writeFileSync(join(dir, 'templates', 'message.yaml'), 'message: {{ tpl .Values.message (dict "app" .Values.app) | toJson }}\n');
  writeFileSync(join(dir, 'values.yaml'), stringify({ message: template.message, app: { metadata: { name: 'orders' }, status: { operationState: { phase: 'Failed', syncResult } } } }));
  const result = helmTemplate('n', dir, []);
  assert.equal(result.ok, true, result.stderr);
  return (parse(result.stdout.replace(/^---\n# Source: .*\n/, '')) as { message: string }).message;
}

const resources = [
  { kind: 'Deployment', name: 'orders', hookType: '', hookPhase: '', message: 'deployment.apps/orders configured' },
  { kind: 'Job', name: 'orders-syncproof', hookType: 'PostSync', hookPhase: 'Failed', message: MESSAGE },
];

test('the notifications trigger is its own, once per revision or revisions', () => {
  assert.equal(cm.data['trigger.on-sync-failed'], undefined, "the catalog's trigger is not overridden");
  const [condition] = parse(cm.data['trigger.on-syncproof-failed'] as string) as Array<{ when: string; oncePer: string }>;
  assert.match(condition?.oncePer ?? '', /syncResult\?\.revisions \?\? .*syncResult\?\.revision$/);
  assert.match(condition?.when ?? '', /hookType == 'PostSync'/);
});

test('the notifications template lists the failed hook and its message, single- and multi-source', { skip }, (t) => {
  const single = renderMessage(t, { revision: '3f2a9c1', resources });
  assert.match(single, /^orders: sync of 3f2a9c1 failed\./);
  assert.ok(single.includes(`Job orders-syncproof: ${MESSAGE}`), single);
  assert.ok(!single.includes('deployment.apps/orders configured'), 'only hooks are listed');
  const multi = renderMessage(t, { revision: '', revisions: ['3f2a9c1', '0.1.0'], resources });
  assert.match(multi, /^orders: sync of 3f2a9c1, 0\.1\.0 failed\./);
  assert.ok(multi.includes(`Job orders-syncproof: ${MESSAGE}`), multi);
});

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders' },
  spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'orders', image: 'orders:1' }] } } } };
function templateOf(workload: K8sObject): { metadata: { annotations?: Record<string, string> } } {
  return (workload.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
}

// What Argo CD writes into the source's kustomization for commonAnnotations, after envsubst.
const ANNOTATIONS = { 'syncproof/app-name': 'orders', 'syncproof/app-revision': '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49' };

test('kustomize: commonAnnotations on the app would reach its pod templates; on a source of their own they reach only the hooks', { skip }, (t) => {
  const root = mkdtempSync(join(tmpdir(), 'syncproof-kz-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const app = join(root, 'deploy', 'orders');
  const hooks = join(root, 'deploy', 'syncproof');
  mkdirSync(app, { recursive: true });
  mkdirSync(hooks, { recursive: true });
  cpSync(HOOKS, join(root, 'syncproof-hooks'), { recursive: true });
  writeFileSync(join(app, 'deployment.yaml'), stringify(DEPLOYMENT));
  // One source for app and hooks: the revision lands on the Deployment's pod template (a rollout per commit).
  writeFileSync(join(app, 'kustomization.yaml'), stringify({ resources: ['deployment.yaml', '../../syncproof-hooks'], commonAnnotations: ANNOTATIONS }));
  const together = templateOf(find(kustomize(app), 'Deployment'));
  assert.equal(together.metadata.annotations?.['syncproof/app-revision'], ANNOTATIONS['syncproof/app-revision']);
  // The documented layout: the app without them, the hooks as a second source with them.
  writeFileSync(join(app, 'kustomization.yaml'), stringify({ resources: ['deployment.yaml'] }));
  writeFileSync(join(hooks, 'kustomization.yaml'), stringify({ namePrefix: 'orders-', resources: ['../../syncproof-hooks'], commonAnnotations: ANNOTATIONS }));
  const deployment = templateOf(find(kustomize(app), 'Deployment'));
  assert.equal(deployment.metadata.annotations, undefined, 'the app is untouched');
  const job = find(kustomize(hooks), 'Job');
  const podAnnotations = jobSpec(job).template.metadata.annotations ?? {};
  const path = envOf(job).get('ARGOCD_APP_REVISION')?.valueFrom?.fieldRef?.fieldPath ?? '';
  assert.equal(podAnnotations[/\['(.+)'\]/.exec(path)?.[1] ?? ''], ANNOTATIONS['syncproof/app-revision'], 'the hook reads the revision');
});

test("chart/README.md's install section renders as written: the app's Chart.yaml dependency and values", { skip }, async (t) => {
  const readme = readFileSync(join(REPO, 'chart', 'README.md'), 'utf8');
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Argo CD Application'));
  const yamlBlocks = [...install.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] as string) as Record<string, unknown>);
  const deps = yamlBlocks.find((b) => b.dependencies) as { dependencies: Array<{ name: string; version: string; repository: string }> };
  const values = yamlBlocks.find((b) => b.syncproof) as Record<string, unknown>;
  assert.ok(deps && values, 'a Chart.yaml dependency and a values.yaml');
  assert.match(install, /podman build -t (\S+):0\.1\.0 \.[\s\S]*podman push \1:0\.1\.0/, 'build and push the same tag');
  const root = mkdtempSync(join(tmpdir(), 'syncproof-install-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const app = join(root, 'shop');
  mkdirSync(join(app, 'templates'), { recursive: true });
  writeFileSync(join(app, 'Chart.yaml'), stringify({ apiVersion: 'v2', name: 'shop', version: '1.0.0', ...deps }));
  writeFileSync(join(app, 'values.yaml'), stringify(values));
  // What `helm dependency update` leaves for a file:// dependency: the chart under charts/.
  const dep = deps.dependencies[0];
  assert.equal(dep?.name, 'syncproof');
  assert.equal(dep?.version, (parse(readFileSync(join(REPO, 'chart', 'Chart.yaml'), 'utf8')) as { version: string }).version);
  cpSync(join(REPO, 'chart'), join(app, 'charts', 'syncproof'), { recursive: true });
  const result = helmTemplate('shop', app, ['-n', 'shop']);
  assert.equal(result.ok, true, result.stderr);
  const job = find(parseManifests(result.stdout), 'Job');
  assert.equal(jobSpec(job).template.spec.containers[0]?.image, 'registry.example.com/platform/syncproof:0.1.0');
});
