// kubernetes: a workload's rollout, a Service's endpoints, or any object's status, read through the API.
import { defineProbe } from '../types.ts';
import { isWorkload, spec } from './spec.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

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
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.undici);
    await import('undici'); await import('yaml');
    return (await import('../observers.ts')).kubernetes;
  },
});
