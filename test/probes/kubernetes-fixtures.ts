// Workload objects as their controllers would leave them, written by the test: no workload controller runs
// in the test control plane, so a Deployment's ReplicaSets, Pods and statuses are exactly what the test says.
import type { KubeApi, KubeObject } from '../support/kube/api.ts';

interface Owner { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly uid: string }

export function deployment(namespace: string, name: string, replicas: number, image: string, revision: string | undefined): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace, ...(revision ? { annotations: { 'deployment.kubernetes.io/revision': revision } } : {}) },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } },
  };
}

export function replicaSet(namespace: string, name: string, app: string, hash: string, revision: string, owner: Owner, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace, labels: { app, 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ ...owner, controller: true } as never] },
    spec: { replicas: 0, selector: { matchLabels: { app, 'pod-template-hash': hash } }, template: { metadata: { labels: { app, 'pod-template-hash': hash } }, spec: { containers: [{ name: 'app', image }] } } },
  };
}

/** A Pod as a kubelet would report it, Ready or not, with its containers' restarts. */
export async function pod(api: KubeApi, namespace: string, name: string, labels: Record<string, string>, owner: Owner, image: string, ready: boolean, restarts = 0): Promise<void> {
  await api.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, ownerReferences: [{ ...owner, controller: true } as never] }, spec: { containers: [{ name: 'app', image }] } });
  await setStatus(api, 'v1', 'Pod', namespace, name, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [{ name: 'app', image, imageID: '', ready, restartCount: restarts, started: true, state: { running: {} } }],
  });
}

export async function setStatus(api: KubeApi, apiVersion: string, kind: string, namespace: string, name: string, status: unknown): Promise<void> {
  const path = await api.path(apiVersion, kind, namespace, name);
  await api.call('PATCH', `${path}/status`, { status }, 'application/merge-patch+json');
}

export async function endpointSlice(api: KubeApi, namespace: string, service: string, name: string, family: 'IPv4' | 'IPv6', endpoints: readonly (readonly [string, string, boolean | undefined])[]): Promise<void> {
  await api.apply({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: family,
    ports: [{ port: 80, protocol: 'TCP' }],
    endpoints: endpoints.map(([address, podName, ready]) => ({
      addresses: [address], targetRef: { kind: 'Pod', name: podName, namespace, uid: `uid-${podName}` },
      conditions: ready === undefined ? {} : { ready },
    })),
  });
}

/** A Deployment at revision 2 of 3 replicas: old Pods (revision 1) and new ones, ready as asked, statuses written. */
export async function rolloutFixture(api: KubeApi, namespace: string, name: string, pods: { oldReady: number; newReady: number; newNotReady: number; restarts: number }): Promise<{ oldPods: string[] }> {
  const d = (await api.apply(deployment(namespace, name, 3, 'registry.test/orders:2', '2'))).body;
  const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid! };
  const old = (await api.apply(replicaSet(namespace, `${name}-aaa`, name, 'aaa', '1', owner, 'registry.test/orders:1'))).body;
  const fresh = (await api.apply(replicaSet(namespace, `${name}-bbb`, name, 'bbb', '2', owner, 'registry.test/orders:2'))).body;
  const oldOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: old.metadata.name, uid: old.metadata.uid! };
  const newOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: fresh.metadata.name, uid: fresh.metadata.uid! };
  const oldPods: string[] = [];
  for (let i = 0; i < pods.oldReady; i++) {
    oldPods.push(`${name}-aaa-${i}`);
    await pod(api, namespace, `${name}-aaa-${i}`, { app: name, 'pod-template-hash': 'aaa' }, oldOwner, 'registry.test/orders:1', true, 5);
  }
  for (let i = 0; i < pods.newReady + pods.newNotReady; i++) {
    await pod(api, namespace, `${name}-bbb-${i}`, { app: name, 'pod-template-hash': 'bbb' }, newOwner, 'registry.test/orders:2', i < pods.newReady, i === 0 ? pods.restarts : 0);
  }
  await setStatus(api, 'apps/v1', 'Deployment', namespace, name, {
    observedGeneration: (d.metadata as { generation?: number }).generation ?? 1, replicas: pods.oldReady + pods.newReady + pods.newNotReady,
    updatedReplicas: pods.newReady + pods.newNotReady, readyReplicas: pods.oldReady + pods.newReady, availableReplicas: pods.oldReady + pods.newReady,
  });
  return { oldPods };
}
