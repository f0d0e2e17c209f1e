// kubernetes: a workload's rollout, a Service's endpoints, or any object's status, read through the API.
import { authRefused, defineProbe, type AttemptContext, type Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { apiClient } from './api.ts';
import { fromKubeconfig, inCluster } from './kubeconfig.ts';
import { observeObject } from './object.ts';
import { observeService } from './service.ts';
import { isWorkload, spec, type KubernetesSpec } from './spec.ts';
import { observeWorkload } from './workload.ts';

export const kubernetes = defineProbe({
  type: 'kubernetes',
  spec,
  fields: {
    desired: 'number', updated: 'number', ready: 'number', available: 'number', current: 'boolean',
    images: 'list', oldReady: 'number', restarts: 'number',
    endpoints: 'object', 'endpoints.ready': 'number', 'endpoints.notReady': 'number',
    status: 'any',
  },
  defaultExpect: (s) => (isWorkload(s.kind) ? ['current', 'ready == desired', 'oldReady == 0'] : s.kind === 'Service' ? ['endpoints.ready > 0'] : ['status != null']),
  // The API server is named in the kubeconfig (or the Pod's environment), read at attempt time.
  hosts: () => [],
  insecure: () => false,
  target: (s) => `kubernetes ${s.apiVersion ? `${s.apiVersion} ` : ''}${s.kind} ${s.namespace ?? process.env.ARGOCD_APP_NAMESPACE ?? '(namespace of the credentials)'}/${s.object}`,
  observe: observeOnce,
  // yaml: for a kubeconfig (./kubeconfig.ts), loaded before the first attempt's clock starts, as undici is.
  load: async () => { await Promise.all([import('undici'), import('yaml')]); },
});

async function observeOnce(s: KubernetesSpec, ctx: AttemptContext): Promise<Observation> {
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const resolved = s.kubeconfig !== undefined ? await fromKubeconfig(s.kubeconfig) : await inCluster();
  if (!resolved.ok) return resolved;
  if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
  const { endpoint } = resolved;
  const namespace = s.namespace ?? (process.env.ARGOCD_APP_NAMESPACE || endpoint.namespace || 'default');
  const api = await apiClient(endpoint, ctx.signal);
  try {
    const observation = isWorkload(s.kind) ? await observeWorkload(api, s.kind, namespace, s.object)
      : s.kind === 'Service' ? await observeService(api, namespace, s.object)
      : await observeObject(api, s.apiVersion!, s.kind, namespace, s.object);
    if (ctx.signal.aborted) return { ok: false, error: timeoutReason(ctx.timeoutMs) };
    return observation.ok ? observation : { ...observation, ...authRefused(api.refused()) };
  } finally {
    await api.close();
  }
}
