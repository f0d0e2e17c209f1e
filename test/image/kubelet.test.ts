// test/image/kubelet.ts, the translation of the chart's Job into `podman run` that .ci/image-check
// runs the image with: on the chart rendered for real, without podman.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertValidObjects } from '../chart/support/k8s-schema.ts';
import { CHART, find, missingTools, render, type K8sObject } from '../chart/support/tools.ts';
import { jobToPodman, podNameFor } from './kubelet.ts';

const skip = missingTools();
const here = import.meta.dirname;
const cluster: K8sObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-target', namespace: 'orders' }, data: { TARGET_HOST: '127.0.0.1', TARGET_PORT: '8080' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-target-token', namespace: 'orders' }, data: { token: Buffer.from('s3cret').toString('base64') } },
];
const POD = 'orders-syncproof-b2c4d';
const scratch = mkdtempSync(join(tmpdir(), 'kubelet-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function translate(args: string[]): { objects: K8sObject[]; dir: string; run: ReturnType<typeof jobToPodman> } {
  const objects = render('orders', CHART, ['-n', 'orders', ...args]);
  const dir = mkdtempSync(join(scratch, 'pod-'));
  return { objects, dir, run: jobToPodman(find(objects, 'Job'), [...objects, ...cluster], dir, POD) };
}
function withValues(yaml: string): string[] {
  const file = join(mkdtempSync(join(scratch, 'values-')), 'values.yaml');
  writeFileSync(file, yaml);
  return ['-f', join(here, 'pass-values.yaml'), '-f', file];
}

test("the image check's values files render valid Kubernetes objects (the image check runs their suites)", { skip }, async () => {
  for (const name of ['pass', 'fail']) await assertValidObjects(render('orders', CHART, ['-n', 'orders', '-f', join(here, `${name}-values.yaml`)]));
});

test("the passing run's Job: options, env and files as kubelet would give them", { skip }, () => {
  const { objects, dir, run } = translate(['-f', join(here, 'pass-values.yaml'), '--set-string', 'app.revision=abc123']);
  assert.equal(run.podName, POD);
  assert.deepEqual(run.options, [
    '--rm', '--hostname', POD, '--env-file', join(dir, 'env'), '--timeout', String(30 + 10 + 120), '--pull', 'missing',
    '--user', '10001:10001', '--read-only', '--read-only-tmpfs=false', '--security-opt', 'no-new-privileges', '--cap-drop', 'ALL',
    '--memory', `${256 * 2 ** 20}b`,
    '-v', `${join(dir, 'volumes', 'suite')}:/etc/syncproof:ro`,
    '-v', `${join(dir, 'volumes', 'target-token')}:/var/run/secrets/target:ro`,
    '-v', `${join(dir, 'termination-log')}:/dev/termination-log`,
  ]);
  assert.deepEqual(run.command, ['syncproof:0.1.0', 'run']);
  assert.equal(run.env, [
    'TARGET_HOST=127.0.0.1', 'TARGET_PORT=8080', `POD_NAME=${POD}`, 'ARGOCD_APP_NAME=orders', 'ARGOCD_APP_NAMESPACE=orders',
    'ARGOCD_APP_PROJECT_NAME=default', 'ARGOCD_APP_REVISION=abc123', 'ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/orders.git',
    'LOG_LEVEL=info', 'TARGET_URL=http://127.0.0.1:8080', '',
  ].join('\n'));
  const suite = join(dir, 'volumes', 'suite');
  assert.equal(readlinkSync(join(suite, 'suite.yaml')), '..data/suite.yaml');
  assert.match(readlinkSync(join(suite, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
  assert.equal(readFileSync(join(suite, 'suite.yaml'), 'utf8'), (find(objects, 'ConfigMap').data as Record<string, string>)['suite.yaml']);
  assert.equal(readFileSync(join(dir, 'volumes', 'target-token', 'token'), 'utf8'), 's3cret', 'the Secret data, decoded');
  assert.equal(statSync(join(dir, 'termination-log')).mode & 0o777, 0o666);
});

test('env: envFrom first, then env in order with $(VAR) expansion; args expanded; optional references', { skip }, () => {
  const { run } = translate(withValues(`
extraArgs: [--only, "$(WHERE)", "$$(WHERE)"]
env:
  - {name: WHERE, value: "$(TARGET_HOST):$(TARGET_PORT) $(LATER) $(NAMESPACE)"}
  - {name: NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
  - {name: TARGET_PORT, valueFrom: {configMapKeyRef: {name: orders-target, key: TARGET_HOST}}}
  - {name: ABSENT, valueFrom: {secretKeyRef: {name: orders-target-token, key: nope, optional: true}}}
  - {name: LATER, value: x}
`));
  assert.match(run.env, /^WHERE=127\.0\.0\.1:8080 \$\(LATER\) \$\(NAMESPACE\)$/m, 'only variables defined before');
  assert.match(run.env, /^NAMESPACE=orders$/m);
  assert.match(run.env, /^TARGET_PORT=127\.0\.0\.1$/m, 'env overrides envFrom');
  assert.doesNotMatch(run.env, /ABSENT/);
  assert.deepEqual(run.command.slice(1), ['run', '--only', '127.0.0.1:8080 $(LATER) $(NAMESPACE)', '$(WHERE)']);
});

test('what kubelet would refuse or this translation does not know is an error, not a silent difference', { skip }, () => {
  const cases: Array<[string[], RegExp]> = [
    [['--set', 'securityContext.privileged=true'], /security field\(s\) this check does not translate: privileged/],
    [['--set', 'securityContext.runAsUser=0'], /runAsNonRoot without a non-zero runAsUser/],
    [['--set', 'serviceAccount.automountServiceAccountToken=true'], /a service account token would be mounted/],
    [['--set', 'podSecurityContext.fsGroup=2000'], /fsGroup/],
    [withValues('env: [{name: X, valueFrom: {secretKeyRef: {name: orders-target-token, key: nope}}}]'), /Secret orders-target-token has no key nope/],
    [withValues('envFrom: [{secretRef: {name: missing}}]'), /Secret orders\/missing does not exist/],
    [withValues('env: [{name: X, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]'), /env X not translated/],
    [withValues('extraVolumes: [{name: t, emptyDir: {}}]\nextraVolumeMounts: [{name: t, mountPath: /tmp}]'), /volume mount not translated/],
    [withValues('extraVolumeMounts: [{name: target-token, mountPath: /x, subPath: token}]'), /volume mount not translated/],
  ];
  for (const [args, error] of cases) {
    const base = args[0] === '--set' ? ['-f', join(here, 'pass-values.yaml'), ...args] : args;
    assert.throws(() => translate(base), error, base.join(' '));
  }
  assert.match(podNameFor('orders-syncproof'), /^orders-syncproof-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});
