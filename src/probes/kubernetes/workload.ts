// Deployment, StatefulSet and DaemonSet: how far the rollout is, and whether Pods of an old revision still serve.
import type { JsonValue, Observation, Observed } from '../types.ts';
import type { ApiClient } from './api.ts';
import { num, obj, ownedBy, readPods } from './pods.ts';
import { selectorText, type LabelSelector } from './selector.ts';
import type { WorkloadKind } from './spec.ts';

type Obj = Readonly<Record<string, unknown>>;

const RESOURCE: Readonly<Record<WorkloadKind, string>> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/** The label the workload's controller puts on Pods of each revision, and the current revision's value. */
type Revision = { readonly label: string; readonly value: string | undefined; readonly owners: ReadonlySet<string>; readonly note?: string };

export async function observeWorkload(api: ApiClient, kind: WorkloadKind, namespace: string, name: string): Promise<Observation> {
  const answer = await api.get(`/apis/apps/v1/namespaces/${namespace}/${RESOURCE[kind]}/${name}`);
  if (!answer.ok) return { ok: false, error: answer.status === 404 ? `${kind} ${name} not found in namespace ${namespace}` : answer.error };
  const object = answer.body;
  const spec = obj(object.spec);
  const status = obj(object.status);
  const metadata = obj(object.metadata);
  const revision = await currentRevision(api, kind, namespace, object);
  if ('error' in revision) return { ok: false, error: revision.error };
  const pods = await readPods(api, namespace, spec.selector, revision.owners, (labels) => revision.value !== undefined && labels[revision.label] === revision.value);
  if (!pods.ok) return pods;
  const counts = kind === 'DaemonSet'
    ? { desired: num(status.desiredNumberScheduled), updated: num(status.updatedNumberScheduled), ready: num(status.numberReady), available: num(status.numberAvailable) }
    : { desired: typeof spec.replicas === 'number' ? spec.replicas : 1, updated: num(status.updatedReplicas), ready: num(status.readyReplicas), available: num(status.availableReplicas) };
  const observed: Observed = {
    ...counts,
    current: typeof metadata.generation === 'number' && num(status.observedGeneration) >= metadata.generation,
    images: pods.images,
    // Unknown until the controller has made the current revision: not 0, which would read as "none old".
    oldReady: revision.value === undefined ? null : pods.oldReady,
    restarts: pods.restarts,
    status: (object.status as JsonValue | undefined) ?? null,
  };
  const notes = [...(revision.note ? [revision.note] : []), ...pods.notes];
  const summary = `${counts.ready}/${counts.desired} ready, ${counts.updated} updated${revision.value === undefined ? '' : `, ${pods.oldReady} old ready`}${observed.current ? '' : ', generation not yet observed'}`;
  return { ok: true, observed, summary, ...(notes.length ? { notes } : {}) };
}

async function currentRevision(api: ApiClient, kind: WorkloadKind, namespace: string, object: Obj): Promise<Revision | { error: string }> {
  const uid = String(obj(object.metadata).uid);
  if (kind === 'StatefulSet') {
    const update = obj(object.status).updateRevision;
    return { label: 'controller-revision-hash', value: typeof update === 'string' ? update : undefined, owners: new Set([uid]), ...(typeof update === 'string' ? {} : { note: 'no updateRevision yet (the controller has not observed the StatefulSet)' }) };
  }
  const listing = kind === 'Deployment' ? 'replicasets' : 'controllerrevisions';
  const text = selectorText(obj(obj(object.spec).selector) as LabelSelector);
  if (text === undefined) return { error: `the ${kind}'s selector has an operator the API does not know` };
  const answer = await api.get(`/apis/apps/v1/namespaces/${namespace}/${listing}?labelSelector=${encodeURIComponent(text)}`);
  if (!answer.ok) return { error: answer.error };
  const owned = (Array.isArray(answer.body.items) ? answer.body.items.map(obj) : []).filter((item) => ownedBy(item, new Set([uid])));
  if (kind === 'Deployment') {
    // The ReplicaSet of the Deployment's current revision; its Pods carry its pod-template-hash.
    const wanted = obj(obj(object.metadata).annotations)['deployment.kubernetes.io/revision'];
    const current = owned.find((rs) => obj(obj(rs.metadata).annotations)['deployment.kubernetes.io/revision'] === wanted);
    const hash = obj(obj(current?.metadata).labels)['pod-template-hash'];
    const owners = new Set(owned.map((rs) => String(obj(rs.metadata).uid)));
    return typeof wanted === 'string' && typeof hash === 'string'
      ? { label: 'pod-template-hash', value: hash, owners }
      : { label: 'pod-template-hash', value: undefined, owners, note: 'no ReplicaSet of the current revision yet (the controller has not rolled it out)' };
  }
  // DaemonSet: the ControllerRevision with the highest revision is the current one.
  const latest = owned.reduce<Obj | undefined>((best, rev) => (num(rev.revision) > num(best?.revision) ? rev : best), undefined);
  const hash = obj(obj(latest?.metadata).labels)['controller-revision-hash'];
  return typeof hash === 'string'
    ? { label: 'controller-revision-hash', value: hash, owners: new Set([uid]) }
    : { label: 'controller-revision-hash', value: undefined, owners: new Set([uid]), note: 'no ControllerRevision yet (the controller has not observed the DaemonSet)' };
}
