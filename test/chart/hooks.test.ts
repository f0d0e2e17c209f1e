// hooks/ through the real `kustomize build`: valid objects, the chart's hook semantics, the generated
// (hash-suffixed) ConfigMap referenced by the Job, and an app overlay's prefix and annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertValidObjects } from './support/k8s-schema.ts';
import { find, HOOKS, kustomize, missingTools } from './support/tools.ts';
import { assertHookSemantics, envOf, jobSpec, validateSuite } from './support/semantics.ts';

const skip = missingTools();

function suiteDeadlineSeconds(): number {
  const suite = parse(readFileSync(join(HOOKS, 'suite.yaml'), 'utf8')) as { deadline?: string };
  const match = /^(\d+)m$/.exec(suite.deadline ?? '5m');
  assert.ok(match, 'the example suite states its deadline in minutes');
  return Number(match[1]) * 60;
}

test('kustomize build hooks/: valid objects with the hook semantics', { skip }, async () => {
  const objects = kustomize(HOOKS);
  await assertValidObjects(objects);
  const configMap = find(objects, 'ConfigMap');
  assert.match(configMap.metadata.name, /^syncproof-suite-[a-z0-9]{10}$/, 'generated with a content hash');
  const job = find(objects, 'Job');
  assertHookSemantics(job, configMap.metadata.name, suiteDeadlineSeconds());
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
  assert.equal(find(objects, 'ServiceAccount').automountServiceAccountToken, false);
  assert.equal(jobSpec(job).template.spec.serviceAccountName, 'syncproof');
  assert.match(await validateSuite(configMap), /valid: suite orders/);
});

test('an app overlay: prefixed names followed by every reference, app context from annotations', { skip }, async () => {
  const objects = kustomize(join(import.meta.dirname, 'fixtures', 'overlay'));
  await assertValidObjects(objects);
  const configMap = find(objects, 'ConfigMap');
  assert.match(configMap.metadata.name, /^orders-syncproof-suite-/);
  const job = find(objects, 'Job');
  assert.equal(job.metadata.name, 'orders-syncproof');
  assertHookSemantics(job, configMap.metadata.name, suiteDeadlineSeconds());
  assert.equal(jobSpec(job).template.spec.serviceAccountName, 'orders-syncproof');
  const podAnnotations = jobSpec(job).template.metadata.annotations ?? {};
  const env = envOf(job);
  const fromAnnotation = (name: string) => {
    const path = env.get(name)?.valueFrom?.fieldRef?.fieldPath ?? '';
    const key = /^metadata\.annotations\['(.+)'\]$/.exec(path)?.[1];
    assert.ok(key, `${name} comes from a pod annotation`);
    return podAnnotations[key];
  };
  assert.equal(fromAnnotation('ARGOCD_APP_NAME'), 'orders');
  assert.equal(fromAnnotation('ARGOCD_APP_PROJECT_NAME'), 'shop');
  assert.equal(fromAnnotation('ARGOCD_APP_REVISION'), '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49');
  assert.equal(fromAnnotation('ARGOCD_APP_SOURCE_REPO_URL'), undefined, 'not set by this overlay: empty, read as unset');
  assert.deepEqual(env.get('ARGOCD_APP_NAMESPACE')?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
});
