// What Argo CD and Helm do with the hooks the chart renders: delete policies that always let the
// next sync replace the last run (Argo CD unions its own with Helm's), the rest of the build
// environment as ARGOCD_APP_*, no render without a named image, the report-only SyncFail hook and
// the scheduled CronJob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidObjects } from './support/k8s-schema.ts';
import { find, missingTools, parseManifests } from './support/tools.ts';
import { envOf } from './support/semantics.ts';
import { BASE, byName, jobSpecOf, podSpecOf, refused, renderWith, templateWith } from './support/argocd.ts';

const skip = missingTools();
const ARGO = ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'];
const HELM = ['before-hook-creation', 'hook-succeeded', 'hook-failed'];

/** Every non-empty ordered list of distinct items. */
function lists(items: readonly string[]): string[][] {
  const out: string[][] = [];
  const walk = (prefix: string[]) => {
    if (prefix.length > 0) out.push(prefix);
    for (const item of items) if (!prefix.includes(item)) walk([...prefix, item]);
  };
  walk([]);
  return out;
}

/** The delete policies Argo CD applies to a hook: its own annotation and Helm's, unioned (gitops-engine hook.DeletePolicies). */
function appliedPolicies(annotations: Record<string, string>): Set<string> {
  const argo = (annotations['argocd.argoproj.io/hook-delete-policy'] ?? '').split(',').filter(Boolean);
  const helm = (annotations['helm.sh/hook-delete-policy'] ?? '').split(',').filter(Boolean)
    .map((p) => ARGO[HELM.indexOf(p)] as string);
  const all = new Set([...argo, ...helm]);
  return all.size > 0 ? all : new Set(['BeforeHookCreation']);
}

test('no delete policy renders a hook the next sync cannot replace, or one that deletes a failed run behind the user', { skip }, () => {
  let accepted = 0;
  interface HookValues { deletePolicy?: string; helm?: boolean; helmDeletePolicy?: string }
  const cases: Array<{ hook: HookValues }> = [
    ...lists(ARGO).map((l) => ({ hook: { deletePolicy: l.join(',') } })),
    ...lists(HELM).map((l) => ({ hook: { helm: true, helmDeletePolicy: l.join(',') } })),
  ];
  for (const values of cases) {
    const result = templateWith({ ...BASE, ...values });
    const argoList = values.hook.deletePolicy?.split(',') ?? ['BeforeHookCreation'];
    const helmList = values.hook.helmDeletePolicy?.split(',') ?? [];
    const acceptable = argoList.includes('BeforeHookCreation') && (helmList.length === 0 || (helmList.includes('before-hook-creation') && !helmList.includes('hook-failed')));
    assert.equal(result.ok, acceptable, `${JSON.stringify(values)}: ${result.stderr}`);
    if (!result.ok) {
      assert.match(result.stderr, /hook[./](helmD|d)eletePolicy/, 'the refusal names the value');
      continue;
    }
    accepted++;
    const job = find(parseManifests(result.stdout), 'Job');
    const applied = appliedPolicies(job.metadata.annotations ?? {});
    assert.ok(applied.has('BeforeHookCreation'), `${JSON.stringify(values)} applies BeforeHookCreation`);
    if (values.hook.helm) assert.ok(!applied.has('HookFailed'), `${JSON.stringify(values)}: Helm's list never deletes the failed run`);
  }
  assert.equal(accepted, 11 + 3, 'Argo CD: the 11 lists with BeforeHookCreation; Helm: before-hook-creation, alone or with hook-succeeded');
});

test('the rest of the build environment reaches the container as ARGOCD_APP_*', { skip }, () => {
  const job = find(renderWith({ ...BASE, app: {
    revision: '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49', revisionShort: '3f2a9c1', sourcePath: 'deploy/orders',
    sourceTargetRevision: 'main', sourceRepoURL: 'https://git.example.com/shop/orders.git', project: 'shop',
  } }), 'Job');
  const env = envOf(job);
  assert.equal(env.get('ARGOCD_APP_REVISION_SHORT')?.value, '3f2a9c1');
  assert.equal(env.get('ARGOCD_APP_SOURCE_PATH')?.value, 'deploy/orders');
  assert.equal(env.get('ARGOCD_APP_SOURCE_TARGET_REVISION')?.value, 'main');
  assert.equal(env.get('ARGOCD_APP_REVISION')?.value, '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49');
  const unset = find(renderWith(BASE), 'Job');
  for (const name of ['ARGOCD_APP_REVISION_SHORT', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_SOURCE_TARGET_REVISION']) assert.equal(envOf(unset).has(name), false, name);
  refused({ ...BASE, app: { revisionShort: 1234567 } }, /revisionShort/);
});

test('without an image the chart refuses to render and says how to build and push one', { skip }, () => {
  const { image: _image, ...noImage } = BASE;
  refused(noImage, /set image\.repository.*podman build -t \S+ \. && podman push/);
  refused({ ...noImage, hook: { kind: 'Pod' } }, /set image\.repository/);
  refused({ ...noImage, schedule: '*/30 * * * *', existingConfigMap: 'x' }, /set image\.repository/);
});

test('syncFail.enabled: a report-only Job in the SyncFail phase, valid, that the next failed sync replaces', { skip }, async () => {
  const objects = renderWith({ ...BASE, syncFail: { enabled: true } });
  await assertValidObjects(objects);
  const job = byName(objects, 'Job', 'orders-syncproof-syncfail');
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook'], 'SyncFail');
  assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
  assert.equal(job.metadata.annotations?.['helm.sh/hook'], undefined);
  const spec = jobSpecOf(job);
  assert.equal(spec.backoffLimit, 0);
  assert.deepEqual(spec.podFailurePolicy?.rules[0], { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }, 'an evicted run is run again');
  const pod = podSpecOf(job);
  const c = pod.containers[0] as { command?: string[]; args?: string[] };
  assert.deepEqual(c.command?.slice(0, 2), ['/bin/sh', '-c']);
  assert.deepEqual(c.command?.slice(-2), ['/usr/local/bin/node', '/app/bin/syncproof.js'], "the image's entrypoint");
  assert.deepEqual(c.args, ['run']);
  const suite = pod.volumes?.find((v) => v.name === 'suite') as { configMap?: { name: string; optional?: boolean } };
  assert.deepEqual(suite.configMap, { name: 'orders-syncproof', optional: true }, 'a sync that failed before the ConfigMap still gets a run');
  // The PostSync hook is unchanged beside it.
  assert.equal(byName(objects, 'Job', 'orders-syncproof').metadata.annotations?.['argocd.argoproj.io/hook'], 'PostSync');
  // With plain Helm it is a test hook, not an ordinary Job created by `helm install`.
  const helm = byName(renderWith({ ...BASE, syncFail: { enabled: true }, hook: { helm: true } }), 'Job', 'orders-syncproof-syncfail');
  assert.equal(helm.metadata.annotations?.['helm.sh/hook'], 'test');
  assert.equal(renderWith(BASE).filter((o) => o.metadata.name.endsWith('-syncfail')).length, 0, 'off by default');
});

test('schedule: a report-only CronJob with the same Pod, valid, never two runs at once, its name short enough', { skip }, async () => {
  const objects = renderWith({ ...BASE, schedule: '*/30 * * * *', cronJob: { timeZone: 'Europe/Berlin' } });
  await assertValidObjects(objects);
  const cron = byName(objects, 'CronJob', 'orders-syncproof-scheduled');
  const spec = cron.spec as { schedule: string; timeZone: string; concurrencyPolicy: string };
  assert.equal(spec.schedule, '*/30 * * * *');
  assert.equal(spec.timeZone, 'Europe/Berlin');
  assert.equal(spec.concurrencyPolicy, 'Forbid');
  assert.equal(cron.metadata.annotations?.['argocd.argoproj.io/hook'], undefined, 'not a hook');
  const job = jobSpecOf(cron);
  assert.deepEqual(job.podFailurePolicy?.rules[0]?.onPodConditions, [{ type: 'DisruptionTarget' }]);
  const pod = podSpecOf(cron);
  const postSync = podSpecOf(find(objects, 'Job'));
  assert.deepEqual(pod.containers[0]?.env, postSync.containers[0]?.env, 'the same app context and env');
  assert.deepEqual(pod.securityContext, postSync.securityContext);
  assert.ok((pod.containers[0] as { command?: string[] }).command?.includes('/bin/sh'), 'report-only');
  const long = renderWith({ ...BASE, schedule: '@hourly', fullnameOverride: 'x'.repeat(63) });
  const name = byName(long, 'CronJob', `${'x'.repeat(42)}-scheduled`).metadata.name;
  assert.ok(name.length <= 52, `${name.length} characters: the CronJob controller appends 11`);
  assert.ok(renderWith({ ...BASE, syncFail: { enabled: true }, fullnameOverride: 'x'.repeat(63) }).every((o) => o.metadata.name.length <= 63));
  refused({ ...BASE, schedule: 'every hour' }, /schedule/);
});
