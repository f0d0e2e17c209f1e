// Any other kind, by apiVersion: discovery names its resource, then the object's status is the observation.
import type { JsonValue, Observation } from '../types.ts';
import type { ApiClient } from './api.ts';
import { obj } from './pods.ts';

export async function observeObject(api: ApiClient, apiVersion: string, kind: string, namespace: string, name: string): Promise<Observation> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const discovery = await api.get(base);
  if (!discovery.ok) return { ok: false, error: discovery.status === 404 ? `the API serves no ${apiVersion} (is its CRD installed?)` : discovery.error };
  const resource = (Array.isArray(discovery.body.resources) ? discovery.body.resources.map(obj) : [])
    .find((r) => r.kind === kind && typeof r.name === 'string' && !r.name.includes('/'));
  if (!resource) return { ok: false, error: `${apiVersion} has no kind ${kind}` };
  const path = resource.namespaced === true ? `${base}/namespaces/${namespace}/${String(resource.name)}/${name}` : `${base}/${String(resource.name)}/${name}`;
  const answer = await api.get(path);
  if (!answer.ok) return { ok: false, error: answer.status === 404 ? `${kind} ${name} not found${resource.namespaced === true ? ` in namespace ${namespace}` : ''}` : answer.error };
  const status = answer.body.status === undefined ? null : (answer.body.status as JsonValue);
  const generation = obj(answer.body.metadata).generation;
  const observedGeneration = obj(answer.body.status).observedGeneration;
  const current = typeof generation === 'number' && typeof observedGeneration === 'number' ? observedGeneration >= generation : null;
  const phase = obj(answer.body.status).phase;
  return { ok: true, observed: { status, current }, summary: typeof phase === 'string' ? `${kind} ${phase}` : `${kind} read` };
}
