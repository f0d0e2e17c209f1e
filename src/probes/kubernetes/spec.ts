// The kubernetes probe's keys: which object, in which namespace, and how to reach the API outside a cluster.
import { z } from '../../zod.ts';
import { afterKeyChecks } from '../../spec-parts.ts';

/** The kinds observed as workloads or as a Service; any other kind is read by apiVersion and observed by its status. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export const KNOWN_KINDS = [...WORKLOAD_KINDS, 'Service'] as const;

// RFC 1123 names and labels, as the API server checks them.
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

export const spec = () => z.strictObject({
  kind: z.meta(z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a kind as the API writes it, e.g. Deployment, StatefulSet, DaemonSet, Service, Rollout')),
    { description: 'Deployment, StatefulSet, DaemonSet or Service (observed as such), or any other kind with its apiVersion (observed by its status)' }),
  apiVersion: z.meta(z.optional(z.string().check(z.regex(API_VERSION, 'must be an apiVersion such as apps/v1, v1 or argoproj.io/v1alpha1'))),
    { description: 'group/version of a kind other than the four known ones, e.g. argoproj.io/v1alpha1 for a Rollout' }),
  // Not `name`: every probe's `name` is its own unique name in the suite (one YAML map cannot hold both),
  // so the object's name is `object`, as the dns probe's question is `query` (docs/probes/kubernetes.md).
  object: z.meta(z.string().check(
    z.maxLength(253),
    z.regex(NAME, 'must be an object name (lower-case letters, digits, - and .)'),
  ), { description: "the object's name, e.g. orders-api" }),
  namespace: z.meta(z.optional(z.string().check(z.maxLength(63), z.regex(NAME, 'must be a namespace name'))),
    { description: "default: $ARGOCD_APP_NAMESPACE (the app's namespace), else the service account's (in a cluster) or the kubeconfig context's" }),
  kubeconfig: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'path of a kubeconfig file, for running outside a cluster (its current context; token or client certificate users); default: the Pod\'s service account' }),
}).check(z.superRefine((s, ctx) => {
  const known = (KNOWN_KINDS as readonly string[]).includes(s.kind);
  if (!known && s.apiVersion === undefined) ctx.addIssue({ code: 'custom', path: ['apiVersion'], message: `kind ${s.kind} needs its apiVersion (e.g. argoproj.io/v1alpha1): only ${KNOWN_KINDS.join(', ')} are known without one` });
}, afterKeyChecks));

export type KubernetesSpec = z.output<ReturnType<typeof spec>>;

export function isWorkload(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}
