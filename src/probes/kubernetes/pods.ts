// The Pods of a workload: which are ready, which run its current revision, their images and restarts.
import type { ApiClient } from './api.ts';
import { selectorText, type LabelSelector } from './selector.ts';

/** Pods read per attempt; a larger workload is counted on its first page, with a note. */
export const POD_PAGE = 500;

type Obj = Readonly<Record<string, unknown>>;

export interface PodView {
  readonly ready: boolean;
  readonly current: boolean;
  readonly images: readonly string[];
  readonly restarts: number;
}

export interface PodSummary {
  readonly images: string[];
  readonly oldReady: number;
  readonly restarts: number;
  readonly notes: string[];
}

export type PodsRead = ({ readonly ok: true } & PodSummary) | { readonly ok: false; readonly error: string };

/**
 * Pods matching the selector and owned by one of `owners` (uids), split by `isCurrent`. A terminating Pod
 * that is still Ready still serves, so it counts.
 */
export async function readPods(api: ApiClient, namespace: string, selector: unknown, owners: ReadonlySet<string>, isCurrent: (labels: Obj) => boolean): Promise<PodsRead> {
  const text = selectorText(obj(selector) as LabelSelector);
  if (text === undefined) return { ok: false, error: 'the workload\'s selector has an operator the API does not know' };
  const answer = await api.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(text)}&limit=${POD_PAGE}`);
  if (!answer.ok) return answer;
  const items = Array.isArray(answer.body.items) ? answer.body.items.map(obj) : [];
  const pods = items.filter((pod) => ownedBy(pod, owners)).map((pod) => view(pod, isCurrent));
  const images = new Set<string>();
  let oldReady = 0;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.ready) for (const image of pod.images) images.add(image);
    if (pod.ready && !pod.current) oldReady++;
    if (pod.current) restarts += pod.restarts;
  }
  const more = typeof obj(answer.body.metadata).continue === 'string' && obj(answer.body.metadata).continue !== '';
  return { ok: true, images: [...images].sort(), oldReady, restarts, notes: more ? [`more than ${POD_PAGE} Pods match: counted the first ${POD_PAGE}`] : [] };
}

function view(pod: Obj, isCurrent: (labels: Obj) => boolean): PodView {
  const status = obj(pod.status);
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(obj) : [];
  const containers = Array.isArray(obj(pod.spec).containers) ? (obj(pod.spec).containers as unknown[]).map(obj) : [];
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.map(obj) : [];
  return {
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    current: isCurrent(obj(obj(pod.metadata).labels)),
    images: containers.flatMap((c) => (typeof c.image === 'string' ? [c.image] : [])),
    restarts: statuses.reduce((sum, c) => sum + (typeof c.restartCount === 'number' ? c.restartCount : 0), 0),
  };
}

export function ownedBy(object: Obj, owners: ReadonlySet<string>): boolean {
  const refs = obj(object.metadata).ownerReferences;
  return Array.isArray(refs) && refs.some((ref) => owners.has(String(obj(ref).uid)));
}

export function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
