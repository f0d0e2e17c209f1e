import { authRefused, type AttemptContext, type Observation } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { apiClient } from './api.ts';
import { fromKubeconfig, inCluster } from './kubeconfig.ts';
import { observeObject } from './object.ts';
import { observeService } from './service.ts';
import { isWorkload, type KubernetesSpec } from './spec.ts';
import { observeWorkload } from './workload.ts';

export async function observeKubernetes(s: KubernetesSpec, ctx: AttemptContext): Promise<Observation> {
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
