// hook.kind: Pod: a bare PostSync Pod hook with the same container, security context, volumes and
// deadline as the Job's Pod, valid against the Kubernetes schemas (unknown fields rejected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidObjects } from './support/k8s-schema.ts';
import { find, missingTools } from './support/tools.ts';
import { BASE, jobSpecOf, podSpecOf, refused, renderWith } from './support/argocd.ts';

const skip = missingTools();
const VALUES = {
  ...BASE,
  app: { revision: '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49' },
  podAnnotations: { 'sidecar.istio.io/inject': 'false' },
  podLabels: { team: 'shop' },
  extraVolumes: [{ name: 'db', secret: { secretName: 'orders-db' } }],
  extraVolumeMounts: [{ name: 'db', mountPath: '/var/run/secrets/db', readOnly: true }],
  hook: { syncWave: '5' },
};

test('Pod mode: one PostSync Pod, no Job, valid, with the Job mode Pod spec and deadline', { skip }, async () => {
  const pods = renderWith({ ...VALUES, hook: { ...VALUES.hook, kind: 'Pod' } });
  await assertValidObjects(pods);
  assert.deepEqual(pods.map((o) => `${o.kind}/${o.metadata.name}`).sort(), ['ConfigMap/orders-syncproof', 'Pod/orders-syncproof', 'ServiceAccount/orders-syncproof']);
  const pod = find(pods, 'Pod');
  const annotations = pod.metadata.annotations ?? {};
  assert.equal(annotations['argocd.argoproj.io/hook'], 'PostSync');
  assert.equal(annotations['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
  assert.equal(annotations['argocd.argoproj.io/sync-wave'], '5');
  assert.equal(annotations['sidecar.istio.io/inject'], 'false', 'podAnnotations on the Pod');
  assert.equal(pod.metadata.labels?.team, 'shop');
  assert.equal(pod.metadata.labels?.['app.kubernetes.io/instance'], 'orders');

  const job = jobSpecOf(find(renderWith(VALUES), 'Job'));
  const spec = podSpecOf(pod);
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.activeDeadlineSeconds, job.activeDeadlineSeconds, 'the same deadline, on the Pod');
  const { activeDeadlineSeconds: _deadline, ...rest } = spec;
  assert.deepEqual(rest, job.template.spec, 'the same container, security context, volumes and scheduling');
});

test('Pod mode refuses what a Pod cannot do and a kind that is neither', { skip }, () => {
  refused({ ...BASE, hook: { kind: 'Pod' }, job: { ttlSecondsAfterFinished: 60 } }, /ttlSecondsAfterFinished/);
  refused({ ...BASE, hook: { kind: 'Deployment' } }, /kind/);
  assert.ok(renderWith({ ...BASE, hook: { kind: 'Job' }, job: { ttlSecondsAfterFinished: 60 } }).length > 0);
});

test('Pod mode with hook.helm: the same Helm hook annotations as the Job', { skip }, () => {
  const pod = find(renderWith({ ...BASE, hook: { kind: 'Pod', helm: true } }), 'Pod');
  assert.equal(pod.metadata.annotations?.['helm.sh/hook'], 'post-install,post-upgrade');
  assert.equal(pod.metadata.annotations?.['helm.sh/hook-delete-policy'], 'before-hook-creation');
});
