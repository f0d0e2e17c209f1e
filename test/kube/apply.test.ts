// Every way the tests render the chart and the hooks, applied to a real kube-apiserver: server-side
// apply with strict field validation (an unknown field is refused), and the Pod each Job would
// create admitted under Pod Security `restricted` (Jobs and Pods as dry runs: nothing runs here,
// see job.test.ts for that).
// And the NOTES.txt Helm prints at install, from a real `helm install --dry-run=server`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART, HOOKS, helm, kustomize, render, type K8sObject } from '../chart/support/tools.ts';
import { startControlPlane, type ControlPlane } from '../support/kube/control-plane.ts';
import { KubeError, type KubeObject } from '../support/kube/api.ts';

const FIXTURES = join(import.meta.dirname, '..', 'chart', 'fixtures');
const IMAGE = join(import.meta.dirname, '..', 'image');
const MINIMAL = join(FIXTURES, 'minimal-values.yaml');
const ORDERS = join(FIXTURES, 'orders-values.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'syncproof-apply-'));
let cp: ControlPlane;

before(async () => {
  cp = await startControlPlane();
  for (const ns of ['orders', 'shop', 'notes']) await cp.namespace(ns);
});
after(async () => {
  await cp?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The Pod the Job controller would create from a Job's template (Pod Security enforces on Pods). */
function podOf(job: K8sObject): KubeObject {
  const template = (job.spec as { template: { metadata?: Record<string, unknown>; spec: unknown } }).template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: `${job.metadata.name}-dryrun`, namespace: job.metadata.namespace }, spec: template.spec };
}

/**
 * Applies every object, and each Job's Pod; returns the API server's warnings. Jobs and Pods are dry
 * runs (nothing runs here); the rest is stored, since admitting a Pod looks up its ServiceAccount.
 */
async function admit(objects: readonly K8sObject[], namespace: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const object of [...objects].sort((a, b) => Number(a.kind === 'Job') - Number(b.kind === 'Job'))) {
    warnings.push(...(await cp.api.apply(object, { namespace, dryRun: object.kind === 'Job' })).warnings);
    if (object.kind === 'Job') warnings.push(...(await cp.api.create(podOf({ ...object, metadata: { ...object.metadata, namespace } }), { dryRun: true })).warnings);
  }
  return warnings;
}

function parentChart(): string {
  const root = mkdtempSync(join(scratch, 'parent-'));
  cpSync(join(FIXTURES, 'parent-app'), join(root, 'shop'), { recursive: true });
  cpSync(CHART, join(root, 'syncproof'), { recursive: true });
  const built = helm(['dependency', 'build', join(root, 'shop')]);
  assert.equal(built.ok, true, built.stderr);
  return join(root, 'shop');
}

test('every rendering the chart and hook tests use is admitted: strict fields, restricted Pod Security, no warning', async () => {
  const digest = `sha256:${'a1'.repeat(32)}`;
  const cases: Array<[string, string, K8sObject[]]> = [
    ['defaults', 'orders', render('orders', CHART, ['-n', 'orders', '-f', MINIMAL])],
    ['per-app values', 'orders', render('orders', CHART, ['-n', 'orders', '-f', ORDERS])],
    ['existingConfigMap', 'orders', render('orders', CHART, ['-n', 'orders', '--set', 'existingConfigMap=orders-suites', '--set', 'serviceAccount.create=false', '--set', 'image.repository=syncproof'])],
    ['digest, HookSucceeded, deadline, TTL', 'orders', render('orders', CHART, ['-n', 'orders', '-f', MINIMAL, '--set', `image.digest=${digest}`,
      '--set', 'hook.deletePolicy=BeforeHookCreation\\,HookSucceeded', '--set', 'job.activeDeadlineSeconds=900', '--set', 'job.ttlSecondsAfterFinished=0'])],
    ['image check: pass', 'orders', render('orders', CHART, ['-n', 'orders', '-f', join(IMAGE, 'pass-values.yaml')])],
    ['image check: fail', 'orders', render('orders', CHART, ['-n', 'orders', '-f', join(IMAGE, 'fail-values.yaml')])],
    ['as a dependency', 'shop', render('shop', parentChart(), ['-n', 'shop', '--set-string', 'syncproof.app.revision=0123456'])],
    ['hooks/', 'orders', kustomize(HOOKS)],
    ['an app overlay of hooks/', 'orders', kustomize(join(FIXTURES, 'overlay'))],
  ];
  for (const [name, namespace, objects] of cases) {
    assert.ok(objects.some((o) => o.kind === 'Job'), `${name}: a Job`);
    assert.deepEqual(await admit(objects, namespace), [], name);
  }
});

test('the checks can fail: Pod Security refuses privilege escalation, strict validation an unknown field', async () => {
  const objects = render('orders', CHART, ['-n', 'orders', '-f', MINIMAL, '--set', 'securityContext.allowPrivilegeEscalation=true']);
  const job = objects.find((o) => o.kind === 'Job') as K8sObject;
  const { warnings } = await cp.api.apply(job, { namespace: 'orders', dryRun: true });
  assert.match(warnings.join('\n'), /would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  await assert.rejects(cp.api.create(podOf({ ...job, metadata: { ...job.metadata, namespace: 'orders' } }), { dryRun: true }),
    (error: KubeError) => error.status === 403 && /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/.test(error.message));
  const good = render('orders', CHART, ['-n', 'orders', '-f', MINIMAL]).find((o) => o.kind === 'Job') as K8sObject;
  const spec = good.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
  (spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = 'Always';
  await assert.rejects(cp.api.apply(good, { namespace: 'orders', dryRun: true }), /\.spec\.template\.spec\.containers\[name="syncproof"\]\.imagePullPolicyy: field not declared in schema/);
  await assert.rejects(cp.api.create(good, { namespace: 'orders', dryRun: true }), /unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/);
});

test('helm install prints NOTES.txt: the Job and how to read its last run', () => {
  // A namespace of its own: Helm refuses to adopt the objects the first test stored in `orders`.
  const install = (values: string) => helm(['install', 'orders', CHART, '-n', 'notes', '-f', values, '--dry-run=server', '--kubeconfig', cp.kubeconfig]);
  const result = install(MINIMAL);
  assert.equal(result.ok, true, result.stderr);
  const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
  assert.match(notes, /PostSync hook Job: orders-syncproof\./);
  assert.match(notes, /kubectl -n notes logs job\/orders-syncproof/);
  assert.match(notes, /sidecar\.istio\.io\/inject/);
  const withIstioOff = install(ORDERS);
  assert.equal(withIstioOff.ok, true, withIstioOff.stderr);
  const offNotes = withIstioOff.stdout.slice(withIstioOff.stdout.indexOf('NOTES:'));
  assert.doesNotMatch(offNotes, /sidecar\.istio\.io\/inject/, 'no hint once the annotation is set');
  assert.match(offNotes, /also a Helm post-install,post-upgrade hook/);
});
