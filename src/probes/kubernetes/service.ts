// A Service: how many of its endpoints are ready to take traffic, from its EndpointSlices.
import type { JsonValue, Observation } from '../types.ts';
import type { ApiClient } from './api.ts';
import { obj } from './pods.ts';

export async function observeService(api: ApiClient, namespace: string, name: string): Promise<Observation> {
  const service = await api.get(`/api/v1/namespaces/${namespace}/services/${name}`);
  if (!service.ok) return { ok: false, error: service.status === 404 ? `Service ${name} not found in namespace ${namespace}` : service.error };
  const selector = encodeURIComponent(`kubernetes.io/service-name=${name}`);
  const slices = await api.get(`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${selector}`);
  if (!slices.ok) return { ok: false, error: slices.error };
  // A dual-stack Service has an IPv4 and an IPv6 slice for the same Pods: each endpoint counts once.
  const ready = new Set<string>();
  const notReady = new Set<string>();
  for (const slice of Array.isArray(slices.body.items) ? slices.body.items.map(obj) : []) {
    for (const endpoint of Array.isArray(slice.endpoints) ? slice.endpoints.map(obj) : []) {
      const addresses = Array.isArray(endpoint.addresses) ? endpoint.addresses : [];
      const key = String(obj(endpoint.targetRef).uid ?? addresses[0] ?? JSON.stringify(endpoint));
      // "A nil value should be interpreted as true" (discovery.k8s.io/v1 EndpointConditions).
      (obj(endpoint.conditions).ready === false ? notReady : ready).add(key);
    }
  }
  for (const key of ready) notReady.delete(key);
  return {
    ok: true,
    observed: { endpoints: { ready: ready.size, notReady: notReady.size }, status: (service.body.status as JsonValue | undefined) ?? null },
    summary: `${ready.size} ready endpoint${ready.size === 1 ? '' : 's'}, ${notReady.size} not ready`,
  };
}
