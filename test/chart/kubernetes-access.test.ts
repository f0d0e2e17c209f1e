// The chart's opt-in kubernetesAccess: off, no Role and no token; on, a Role per namespace with exactly what the
// suite's kubernetes probes read — applied to a real API server, where the probe reads what it names and is
// refused the rest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubernetes } from '../../src/probes/kubernetes/index.ts';
import { startControlPlane, type ControlPlane } from '../support/kube/control-plane.ts';
import type { KubeObject } from '../support/kube/api.ts';
import { rolloutFixture } from '../probes/kubernetes-fixtures.ts';
import { CHART, render, type K8sObject } from './support/tools.ts';

const observeKubernetes = await kubernetes.load();

const dir = mkdtempSync(join(tmpdir(), 'syncproof-kaccess-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function renderWith(values: unknown, namespace = 'shop'): K8sObject[] {
  const file = join(dir, `values-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify({ image: { repository: 'syncproof' }, ...(values as object) }));
  return render('orders', CHART, ['--namespace', namespace, '-f', file]);
}

const SUITE = { probes: [
  { name: 'rollout', type: 'kubernetes', kind: 'Deployment', object: 'orders-api' },
  { name: 'endpoints', type: 'kubernetes', kind: 'Service', object: 'orders-api' },
  { name: 'db', type: 'kubernetes', kind: 'StatefulSet', object: 'pg', namespace: 'data' },
  { name: 'health', type: 'http', url: 'http://orders-api.shop.svc/healthz' },
] };

const podSpec = (objects: K8sObject[]) => ((objects.find((o) => o.kind === 'Job') as { spec: { template: { spec: Record<string, unknown> } } } | undefined)?.spec.template.spec);

describe('rendered', () => {
  test('off (the default): no Role, no RoleBinding, no token in the Pod', () => {
    const objects = renderWith({ suite: SUITE });
    assert.deepEqual(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding'), []);
    assert.equal(podSpec(objects)?.automountServiceAccountToken, false);
  });

  test('on: a Role per namespace read, get only on the named objects, list on what lies below them, and a token', () => {
    const objects = renderWith({ suite: SUITE, kubernetesAccess: { enabled: true } });
    const roles = objects.filter((o) => o.kind === 'Role') as (K8sObject & { rules: unknown[] })[];
    assert.deepEqual(roles.map((r) => r.metadata.namespace).sort(), ['data', 'shop']);
    const shop = roles.find((r) => r.metadata.namespace === 'shop')!;
    assert.deepEqual(shop.rules, [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['orders-api'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get'], resourceNames: ['orders-api'] },
    ]);
    assert.deepEqual(roles.find((r) => r.metadata.namespace === 'data')!.rules, [
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'], resourceNames: ['pg'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
    const bindings = objects.filter((o) => o.kind === 'RoleBinding') as (K8sObject & { subjects: unknown[] })[];
    for (const b of bindings) assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: 'orders-syncproof', namespace: 'shop' }]);
    assert.equal(podSpec(objects)?.automountServiceAccountToken, true);
  });

  test('extraRules go to the app namespace\'s Role; an unknown rule key is refused by the values schema', () => {
    const rule = { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get'], resourceNames: ['orders-web'] };
    const objects = renderWith({ suite: { probes: [] }, existingConfigMap: 'mine', kubernetesAccess: { enabled: true, extraRules: [rule] } });
    assert.deepEqual((objects.find((o) => o.kind === 'Role') as unknown as { rules: unknown[] }).rules, [rule]);
    assert.throws(() => renderWith({ suite: SUITE, kubernetesAccess: { enabled: true, extraRules: [{ verbs: ['delete'] }] } }), /verbs/);
  });
});

describe('applied to a real API server', () => {
  let cp: ControlPlane;
  before(async () => {
    cp = await startControlPlane();
    await cp.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await cp.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } });
  });
  after(async () => { await cp?.stop(); });

  test('the probe reads the objects the suite names with the chart\'s Role, and is refused the others', async () => {
    const objects = renderWith({ suite: SUITE, kubernetesAccess: { enabled: true } });
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) {
      for (const o of objects.filter((x) => x.kind === kind)) await cp.api.apply(o as KubeObject);
    }
    await rolloutFixture(cp.api, 'shop', 'orders-api', { oldReady: 0, newReady: 3, newNotReady: 0, restarts: 0 });
    await rolloutFixture(cp.api, 'shop', 'billing-api', { oldReady: 0, newReady: 3, newNotReady: 0, restarts: 0 });
    const token = (await cp.api.call<{ status: { token: string } }>('POST', '/api/v1/namespaces/shop/serviceaccounts/orders-syncproof/token',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } })).body.status.token;
    const admin = JSON.parse((await import('node:fs')).readFileSync(cp.kubeconfig, 'utf8')) as { clusters: [{ cluster: Record<string, string> }] };
    const kubeconfig = join(dir, 'sa.kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'sa',
      clusters: [{ name: 'c', cluster: admin.clusters[0].cluster }], users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'sa', context: { cluster: 'c', user: 'u', namespace: 'shop' } }] }));
    const observe = (spec: Record<string, unknown>) => observeKubernetes(kubernetes.spec.parse({ kubeconfig, ...spec }), { signal: AbortSignal.timeout(10_000), timeoutMs: 10_000, suite: 't' });
    const named = await observe({ kind: 'Deployment', object: 'orders-api' });
    assert.ok(named.ok, JSON.stringify(named));
    assert.equal(named.observed.oldReady, 0);
    const other = await observe({ kind: 'Deployment', object: 'billing-api' });
    assert.match(!other.ok ? other.error : 'read', /^forbidden: deployments\.apps "billing-api" is forbidden/);
    const kind = await observe({ kind: 'DaemonSet', object: 'orders-api' });
    assert.match(!kind.ok ? kind.error : 'read', /^forbidden: daemonsets\.apps "orders-api" is forbidden/);
  });
});
