// The Helm chart rendered with defaults and with a per-app values file: valid Kubernetes objects
// (unknown fields rejected), the hook semantics, and a suite that `syncproof validate` accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertValidObjects } from './support/k8s-schema.ts';
import { CHART, find, helm, missingTools, render } from './support/tools.ts';
import { assertHookSemantics, container, envOf, jobSpec, validateSuite } from './support/semantics.ts';

const skip = missingTools();
const FIXTURES = join(import.meta.dirname, 'fixtures');
const MINIMAL = join(FIXTURES, 'minimal-values.yaml');
const ORDERS = join(FIXTURES, 'orders-values.yaml');
const REPO_TEST_IMAGE = join(import.meta.dirname, '..', 'image');

test('helm lint --strict passes with each values file the tests use, and fails without a suite', { skip }, () => {
  for (const values of [MINIMAL, ORDERS, join(REPO_TEST_IMAGE, 'pass-values.yaml'), join(REPO_TEST_IMAGE, 'fail-values.yaml')]) {
    const lint = helm(['lint', '--strict', CHART, '-n', 'orders', '-f', values]);
    assert.equal(lint.ok, true, `${values}: ${lint.stdout}${lint.stderr}`);
    assert.match(lint.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
  const bare = helm(['lint', '--strict', CHART]);
  assert.equal(bare.ok, false);
  assert.match(bare.stdout + bare.stderr, /probes/);
});

test('defaults: a ConfigMap, a ServiceAccount and the PostSync Job, all valid', { skip }, async () => {
  const objects = render('orders', CHART, ['-n', 'orders', '-f', MINIMAL]);
  assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
    'ConfigMap/orders-syncproof',
    'Job/orders-syncproof',
    'ServiceAccount/orders-syncproof',
  ]);
  await assertValidObjects(objects);
  const job = find(objects, 'Job');
  assertHookSemantics(job, 'orders-syncproof', 300);
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/sync-wave'], undefined);
  assert.equal(job.metadata.annotations?.['helm.sh/hook'], undefined);
  assert.equal(jobSpec(job).activeDeadlineSeconds, 300 + 10 + 120);
  assert.equal(container(job).image, 'syncproof:0.1.0');
  assert.deepEqual(container(job).args, ['run']);
  assert.equal(jobSpec(job).template.spec.serviceAccountName, 'orders-syncproof');
  const env = envOf(job);
  assert.equal(env.get('ARGOCD_APP_NAME')?.value, 'orders', 'the release name, as Argo CD names releases');
  assert.equal(env.get('ARGOCD_APP_NAMESPACE')?.value, 'orders');
  for (const unset of ['ARGOCD_APP_REVISION', 'ARGOCD_APP_PROJECT_NAME', 'ARGOCD_APP_SOURCE_REPO_URL']) assert.equal(env.has(unset), false, unset);
  assert.equal(find(objects, 'ServiceAccount').automountServiceAccountToken, false);
  assert.match(await validateSuite(find(objects, 'ConfigMap')), /valid: suite \S+, 1 probes?/);
});

test('a per-app values file reaches the Job and the suite', { skip }, async () => {
  const objects = render('orders', CHART, ['-n', 'orders', '-f', ORDERS]);
  await assertValidObjects(objects);
  const job = find(objects, 'Job');
  assertHookSemantics(job, 'orders-syncproof', 90);
  const annotations = job.metadata.annotations ?? {};
  assert.equal(annotations['argocd.argoproj.io/sync-wave'], '5');
  assert.equal(annotations['helm.sh/hook'], 'post-install,post-upgrade');
  assert.equal(annotations['helm.sh/hook-delete-policy'], 'before-hook-creation');
  assert.equal(jobSpec(job).activeDeadlineSeconds, 90 + 10 + 120, 'deadline 1m30s + grace + startup');
  const c = container(job);
  assert.equal(c.image, 'registry.example.com/platform/syncproof:0.1.0');
  assert.deepEqual(c.args, ['run', '--output', 'json']);
  const env = envOf(job);
  assert.equal(env.get('ARGOCD_APP_PROJECT_NAME')?.value, 'shop');
  assert.equal(env.get('ARGOCD_APP_REVISION')?.value, '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49');
  assert.equal(env.get('ARGOCD_APP_SOURCE_REPO_URL')?.value, 'https://git.example.com/shop/orders.git');
  assert.deepEqual(env.get('HEALTH_TOKEN')?.valueFrom, { secretKeyRef: { name: 'orders-health', key: 'token' } });
  assert.deepEqual(c.envFrom, [{ secretRef: { name: 'syncproof-env' } }]);
  assert.deepEqual(c.resources, { requests: { cpu: '20m', memory: '48Mi' }, limits: { memory: '128Mi' } });
  assert.deepEqual(c.volumeMounts?.map((m) => m.mountPath), ['/etc/syncproof', '/var/run/secrets/orders-db', '/etc/ssl/internal']);
  const pod = jobSpec(job).template;
  assert.equal(pod.metadata.annotations?.['sidecar.istio.io/inject'], 'false');
  assert.deepEqual(pod.spec.volumes?.map((v) => v.name), ['suite', 'orders-db', 'internal-ca']);
  assert.deepEqual(pod.spec.imagePullSecrets, [{ name: 'registry-credentials' }]);
  assert.deepEqual(pod.spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.equal(pod.spec.tolerations?.length, 1);
  assert.ok(pod.spec.affinity);
  const out = await validateSuite(find(objects, 'ConfigMap'), { ORDERS_DB_PASSWORD: 'x', HEALTH_TOKEN: 'y' });
  assert.match(out, /valid: suite orders, 2 probes, 1 sink/);
});

test('several releases in one namespace never share a name; long names fit in 63 characters', { skip }, () => {
  const names = (release: string) => render(release, CHART, ['-n', 'shop', '-f', MINIMAL]).map((o) => `${o.kind}/${o.metadata.name}`);
  const orders = names('orders');
  const payments = names('payments');
  assert.deepEqual(orders.filter((n) => payments.includes(n)), []);
  assert.deepEqual(new Set(names('syncproof-orders').map((n) => n.split('/')[1])), new Set(['syncproof-orders']), 'no chart name twice');
  // Helm refuses release names over 53 characters; at 53, `<release>-syncproof` would be 63 + 1.
  const longest = 'a-very-long-release-name-for-the-orders-service-of-th';
  assert.equal(longest.length, 53);
  assert.throws(() => names(`${longest}e`), /the length must not be longer than 53/);
  for (const name of names(longest)) {
    const short = name.split('/')[1] ?? '';
    assert.ok(short.length <= 63 && !short.endsWith('-'), short);
  }
});

test('existingConfigMap: no ConfigMap rendered, the Job mounts the named one', { skip }, async () => {
  const objects = render('orders', CHART, ['-n', 'orders', '--set', 'existingConfigMap=orders-suites', '--set', 'serviceAccount.create=false']);
  await assertValidObjects(objects);
  assert.deepEqual(objects.map((o) => o.kind).sort(), ['Job']);
  const job = find(objects, 'Job');
  assertHookSemantics(job, 'orders-suites', 300);
  assert.equal(jobSpec(job).template.spec.serviceAccountName, 'default');
});

test('image by digest, HookSucceeded, explicit deadline and TTL', { skip }, async () => {
  const digest = `sha256:${'a1'.repeat(32)}`;
  const objects = render('orders', CHART, ['-n', 'orders', '-f', MINIMAL, '--set', `image.digest=${digest}`,
    '--set', 'hook.deletePolicy=HookSucceeded', '--set', 'job.activeDeadlineSeconds=900', '--set', 'job.ttlSecondsAfterFinished=0']);
  await assertValidObjects(objects);
  const job = find(objects, 'Job');
  assert.equal(container(job).image, `syncproof@${digest}`);
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'HookSucceeded');
  assert.equal(jobSpec(job).activeDeadlineSeconds, 900);
  assert.equal(jobSpec(job).ttlSecondsAfterFinished, 0);
});
