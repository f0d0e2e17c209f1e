// The kubernetes probe against a real kube-apiserver (test/support/kube): objects created by the test, their
// status written through the status subresource (no workload controllers run), RBAC refusals from real roles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubernetes } from '../../src/probes/kubernetes/index.ts';
import type { AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { startControlPlane, type ControlPlane } from '../support/kube/control-plane.ts';
import type { KubeObject } from '../support/kube/api.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import type { RunRecord } from '../../src/record/types.ts';
import { deployment, endpointSlice, pod, rolloutFixture, setStatus } from './kubernetes-fixtures.ts';

const observeKubernetes = await kubernetes.load();

const NS = 'shop';
let cp: ControlPlane;

function context(timeoutMs = 10_000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

function observe(spec: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeKubernetes(kubernetes.spec.parse({ kubeconfig: cp.kubeconfig, namespace: NS, ...spec }), ctx);
}

async function observed(spec: Record<string, unknown>): Promise<Observed> {
  const result = await observe(spec);
  assert.ok(result.ok, `expected an observation, got ${JSON.stringify(result)}`);
  return result.observed;
}

before(async () => {
  cp = await startControlPlane();
  await cp.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});
after(async () => { await cp?.stop(); });

describe('a Deployment mid-rollout, old Pods still ready', () => {
  test('desired, updated, ready, current, images of ready Pods, oldReady, restarts of current Pods', async () => {
    const r = await rolloutFixture(cp.api, NS, 'orders-api', { oldReady: 2, newReady: 1, newNotReady: 2, restarts: 3 });
    const seen = await observed({ kind: 'Deployment', object: 'orders-api' });
    assert.equal(seen.desired, 3);
    assert.equal(seen.updated, 3);
    assert.equal(seen.ready, 3);
    assert.equal(seen.current, true);
    assert.deepEqual(seen.images, ['registry.test/orders:1', 'registry.test/orders:2']);
    assert.equal(seen.oldReady, 2);
    assert.equal(seen.restarts, 3);
    // The old Pods stop serving: only the new image is left among the ready Pods.
    for (const name of r.oldPods) await setStatus(cp.api, 'v1', 'Pod', NS, name, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
    const later = await observed({ kind: 'Deployment', object: 'orders-api' });
    assert.equal(later.oldReady, 0);
    assert.deepEqual(later.images, ['registry.test/orders:2']);
  });

  test('the default expectations read it: current, ready == desired, oldReady == 0', () => {
    assert.deepEqual((kubernetes.defaultExpect as (s: unknown) => readonly string[])({ kind: 'Deployment' }), ['current', 'ready == desired', 'oldReady == 0']);
    assert.deepEqual((kubernetes.defaultExpect as (s: unknown) => readonly string[])({ kind: 'Service' }), ['endpoints.ready > 0']);
  });

  test('a generation the controller has not observed is not current; no current ReplicaSet yet: oldReady null', async () => {
    const d = await cp.api.apply(deployment(NS, 'fresh', 2, 'registry.test/fresh:1', undefined));
    await setStatus(cp.api, 'apps/v1', 'Deployment', NS, 'fresh', { observedGeneration: 0, replicas: 0 });
    const result = await observe({ kind: 'Deployment', object: 'fresh' });
    assert.ok(result.ok);
    assert.equal(result.observed.current, false);
    assert.equal(result.observed.oldReady, null);
    assert.match(result.notes?.join() ?? '', /no ReplicaSet of the current revision yet/);
    assert.ok(d.body.metadata.uid);
  });

  test('a missing object is a plain reason', async () => {
    assert.deepEqual(await observe({ kind: 'Deployment', object: 'nope' }), { ok: false, error: 'Deployment nope not found in namespace shop' });
  });
});

describe('StatefulSet, DaemonSet, Service, any kind', () => {
  test('a StatefulSet: Pods of status.updateRevision are current', async () => {
    const sts = (await cp.api.apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'orders-db', namespace: NS }, spec: {
      replicas: 2, serviceName: 'orders-db', selector: { matchLabels: { app: 'orders-db' } },
      template: { metadata: { labels: { app: 'orders-db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } } } })).body;
    await setStatus(cp.api, 'apps/v1', 'StatefulSet', NS, 'orders-db', { observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2, currentRevision: 'orders-db-v1', updateRevision: 'orders-db-v2' });
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'orders-db', uid: sts.metadata.uid! };
    await pod(cp.api, NS, 'orders-db-0', { app: 'orders-db', 'controller-revision-hash': 'orders-db-v2' }, owner, 'postgres:17', true);
    await pod(cp.api, NS, 'orders-db-1', { app: 'orders-db', 'controller-revision-hash': 'orders-db-v1' }, owner, 'postgres:16', true);
    const seen = await observed({ kind: 'StatefulSet', object: 'orders-db' });
    assert.deepEqual([seen.desired, seen.ready, seen.updated, seen.oldReady, seen.current], [2, 2, 1, 1, true]);
  });

  test('a DaemonSet: the newest ControllerRevision is current', async () => {
    const ds = (await cp.api.apply({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: NS }, spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } })).body;
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid! };
    for (const [revision, hash] of [[1, 'h1'], [2, 'h2']] as const) {
      await cp.api.apply({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `agent-${hash}`, namespace: NS, labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: [{ ...owner, controller: true } as never] }, revision, data: {} });
    }
    await setStatus(cp.api, 'apps/v1', 'DaemonSet', NS, 'agent', { observedGeneration: 1, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2 });
    await pod(cp.api, NS, 'agent-a', { app: 'agent', 'controller-revision-hash': 'h2' }, owner, 'agent:2', true);
    await pod(cp.api, NS, 'agent-b', { app: 'agent', 'controller-revision-hash': 'h2' }, owner, 'agent:2', true);
    const seen = await observed({ kind: 'DaemonSet', object: 'agent' });
    assert.deepEqual([seen.desired, seen.ready, seen.oldReady, seen.images], [2, 2, 0, ['agent:2']]);
  });

  test('a Service: ready and not-ready endpoints of its EndpointSlices, each endpoint once across address families', async () => {
    await cp.api.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders-api', namespace: NS }, spec: { selector: { app: 'orders' }, ports: [{ port: 80 }] } });
    await endpointSlice(cp.api, NS, 'orders-api', 'orders-api-v4', 'IPv4', [['10.0.0.1', 'p1', true], ['10.0.0.2', 'p2', undefined], ['10.0.0.3', 'p3', false]]);
    await endpointSlice(cp.api, NS, 'orders-api', 'orders-api-v6', 'IPv6', [['fd00::1', 'p1', true]]);
    const seen = await observed({ kind: 'Service', object: 'orders-api' });
    assert.deepEqual(seen.endpoints, { ready: 2, notReady: 1 });
  });

  test('any kind by apiVersion (a CRD): its status; discovery says when the kind is unknown', async () => {
    await cp.api.apply({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } });
    let widget: KubeObject | undefined;
    for (let i = 0; i < 50 && !widget; i++) {
      widget = await cp.api.apply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS }, spec: {} }).then((r) => r.body, () => undefined);
      if (!widget) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(widget, 'the CRD is served');
    await setStatus(cp.api, 'example.com/v1', 'Widget', NS, 'w', { phase: 'Healthy', observedGeneration: 1 });
    const result = await observe({ kind: 'Widget', apiVersion: 'example.com/v1', object: 'w' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.observed, { status: { phase: 'Healthy', observedGeneration: 1 }, current: true });
    assert.equal(result.summary, 'Widget Healthy');
    assert.deepEqual(await observe({ kind: 'Gadget', apiVersion: 'example.com/v1', object: 'w' }), { ok: false, error: 'example.com/v1 has no kind Gadget' });
  });
});

describe('credentials and RBAC', () => {
  test('a service account without a Role is refused in the API\'s own words; granted the documented rules it reads', async () => {
    await cp.api.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: NS } });
    const token = (await cp.api.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${NS}/serviceaccounts/reader/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } })).body.status.token;
    const kubeconfig = join(cp.dir, 'reader.kubeconfig');
    const admin = (await import('node:fs')).readFileSync(cp.kubeconfig, 'utf8');
    const server = /server: *"?([^"\s]+)/.exec(admin)?.[1] ?? JSON.parse(admin).clusters[0].cluster.server;
    const ca = /certificate-authority: *"?([^"\s]+)/.exec(admin)?.[1] ?? JSON.parse(admin).clusters[0].cluster['certificate-authority'];
    writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'r',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority': ca } }], users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'r', context: { cluster: 'c', user: 'u', namespace: NS } }] }));
    await rolloutFixture(cp.api, NS, 'rbac-api', { oldReady: 0, newReady: 1, newNotReady: 0, restarts: 0 });
    const refused = await observeKubernetes(kubernetes.spec.parse({ kind: 'Deployment', object: 'rbac-api', kubeconfig }), context());
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.error : '', /^forbidden: deployments\.apps "rbac-api" is forbidden: User "system:serviceaccount:shop:reader" cannot get resource "deployments" in API group "apps" in the namespace "shop"/);
    assert.ok(!(!refused.ok && refused.error.includes(token)), 'the token is not in the reason');
    assert.equal(!refused.ok && refused.retry, undefined, 'a 403 is retried: a RoleBinding may still be on its way');
    // A token the API does not know is a 401: refused credentials, not tried again.
    const forged = join(cp.dir, 'forged.kubeconfig');
    writeFileSync(forged, (await import('node:fs')).readFileSync(kubeconfig, 'utf8').replace(token, 'not-a-token'));
    const unknown = await observeKubernetes(kubernetes.spec.parse({ kind: 'Deployment', object: 'rbac-api', kubeconfig: forged }), context());
    assert.match(!unknown.ok ? unknown.error : '', /^unauthorized: the API did not accept the credentials/);
    assert.equal(!unknown.ok && unknown.retry, false);
    // The rules docs/probes/kubernetes.md gives for a Deployment, and nothing more.
    await cp.api.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: NS }, rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] }, { apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
    await cp.api.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: NS }] });
    let result: Observation | undefined;
    for (let i = 0; i < 50 && !result?.ok; i++) {
      result = await observeKubernetes(kubernetes.spec.parse({ kind: 'Deployment', object: 'rbac-api', kubeconfig }), context());
      if (!result.ok) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(result?.ok, JSON.stringify(result));
    assert.equal(result.observed.ready, 1);
  });

  test('outside a cluster without a kubeconfig: a plain reason', async () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      assert.deepEqual(await observeKubernetes(kubernetes.spec.parse({ kind: 'Deployment', object: 'a' }), context()), { ok: false, error: 'not running in a cluster (no KUBERNETES_SERVICE_HOST): set `kubeconfig` to run outside one' });
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});

describe('through the CLI: a sync held back while old Pods serve, let go once they are gone', () => {
  const suite = (within: string) => `defaults: {interval: 500ms, within: ${within}, timeout: 5s}\nprobes:\n  - {name: orders rollout, type: kubernetes, kind: Deployment, object: cli-api, namespace: ${NS}, kubeconfig: "${cp.kubeconfig}"}\n`;
  const run = async (within: string) => {
    const files = tempFiles({ 'suite.yaml': suite(within) });
    try {
      const json = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
      const human = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '']);
      return { code: json.code, record: JSON.parse(json.stdout) as RunRecord, stdout: human.stdout };
    } finally {
      files.cleanup();
    }
  };

  test('old Pods still ready when the window closes: exit 1, the line says how many', async () => {
    await rolloutFixture(cp.api, NS, 'cli-api', { oldReady: 2, newReady: 1, newNotReady: 2, restarts: 0 });
    const { code, record, stdout } = await run('1s');
    assert.equal(code, 1, stdout);
    assert.equal(record.probes[0]?.verdict, 'failed');
    assert.match(stdout, /✗ orders rollout: oldReady = 2 \(expected == 0\)/);
  });

  test('the old Pods stop serving within the window: exit 0 after more than one attempt', async () => {
    const r = await rolloutFixture(cp.api, NS, 'cli-api', { oldReady: 2, newReady: 1, newNotReady: 2, restarts: 0 });
    // What the controllers and kubelets do as the rollout finishes: the new Pods ready, the old ones not.
    const finish = async () => {
      for (const name of ['cli-api-bbb-1', 'cli-api-bbb-2']) await setStatus(cp.api, 'v1', 'Pod', NS, name, { conditions: [{ type: 'Ready', status: 'True' }] });
      for (const name of r.oldPods) await setStatus(cp.api, 'v1', 'Pod', NS, name, { conditions: [{ type: 'Ready', status: 'False' }] });
    };
    // Once the first attempt has been logged (it saw the old Pods serving), not after a fixed time: a CLI that
    // starts slowly on a loaded machine would otherwise see the rollout finished at its first attempt.
    let finishing: Promise<void> | undefined;
    const onSpawn = (child: ChildProcess): void => {
      let logged = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        logged += chunk.toString();
        if (finishing === undefined && logged.includes('"msg":"attempt"')) finishing = finish();
      });
    };
    try {
      const files = tempFiles({ 'suite.yaml': suite('30s') });
      const json = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env: { LOG_LEVEL: 'debug' }, onSpawn });
      files.cleanup();
      const record = JSON.parse(json.stdout) as RunRecord;
      assert.equal(json.code, 0, json.stdout);
      assert.ok((record.probes[0]?.attempts ?? 0) > 1, `${record.probes[0]?.attempts} attempts`);
    } finally {
      await finishing;
    }
  });
});
