// What kubelet would give a Pod's container, as `podman run` arguments and files: the env (downward
// API, Secret and ConfigMap references, $(VAR) expansion), the volumes in kubelet's layout, the
// termination-message file and the security context. For the rendered Job's template (the image
// check) or for a live Pod the Job controller created (test/kube/node.ts, with the fields the API
// server defaults). A field it does not know makes it throw, so a chart change cannot slip past unseen.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K8sObject } from '../chart/support/tools.ts';

type Ref = { name: string; key?: string; optional?: boolean };
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: Ref; configMapKeyRef?: Ref };
}
type EnvFrom = { prefix?: string; secretRef?: Ref; configMapRef?: Ref };
type Mount = { name: string; mountPath: string; readOnly?: boolean };
type Volume = { name: string; configMap?: { name: string; defaultMode?: number }; secret?: { secretName: string; defaultMode?: number } };
type Security = Record<string, unknown> & { capabilities?: { add?: string[]; drop?: string[] }; seccompProfile?: { type: string } };
interface Container {
  image: string; imagePullPolicy?: string; command?: string[]; args?: string[]; env?: EnvVar[]; envFrom?: EnvFrom[];
  securityContext?: Security; resources?: { limits?: { memory?: string; cpu?: string } }; volumeMounts?: Mount[];
  terminationMessagePath?: string;
}
interface PodSpec { automountServiceAccountToken?: boolean; securityContext?: Security; containers: Container[]; volumes?: Volume[] }

export interface PodmanRun {
  podName: string;
  /** Options of `podman run`; secrets are in the env file, never here. */
  options: string[];
  /** The image and the container's arguments, after the options. */
  command: string[];
  /** NAME=value lines for --env-file. */
  env: string;
}

const known = {
  container: ['name', 'image', 'imagePullPolicy', 'command', 'args', 'env', 'envFrom', 'securityContext', 'resources',
    'volumeMounts', 'terminationMessagePolicy', 'terminationMessagePath'],
  // Scheduling, registry credentials and the (tokenless) service account change nothing inside the container.
  pod: ['restartPolicy', 'serviceAccountName', 'automountServiceAccountToken', 'imagePullSecrets', 'priorityClassName',
    'nodeSelector', 'tolerations', 'affinity', 'securityContext', 'containers', 'volumes',
    // Defaulted by the API server on a live Pod. Scheduling and DNS change nothing here (host network);
    // service links would add Service env vars, and the test namespace has no Service.
    'dnsPolicy', 'schedulerName', 'terminationGracePeriodSeconds', 'enableServiceLinks', 'preemptionPolicy', 'priority', 'nodeName',
    'serviceAccount'],
  security: ['allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'capabilities', 'seccompProfile'],
};
function onlyKnown(what: keyof typeof known, object: object): void {
  const unknown = Object.keys(object).filter((key) => !known[what].includes(key));
  if (unknown.length > 0) throw new Error(`${what} field(s) this check does not translate: ${unknown.join(', ')}`);
}

/** `<job>-<5 chars>`, the name the Job controller gives its Pod (generateName). */
export function podNameFor(job: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return `${job}-${Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')}`;
}

export function jobToPodman(job: K8sObject, cluster: readonly K8sObject[], dir: string, podName = podNameFor(job.metadata.name)): PodmanRun {
  const pod = (job.spec as { template: { spec: PodSpec } }).template.spec;
  const deadline = (job.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds;
  return translate(pod, job.metadata.namespace ?? 'default', podName, cluster, dir, deadline);
}

/** A live Pod (its deadline is the Job controller's business, not the node's). */
export function podToPodman(pod: K8sObject, cluster: readonly K8sObject[], dir: string): PodmanRun {
  return translate(pod.spec as PodSpec, pod.metadata.namespace ?? 'default', pod.metadata.name, cluster, dir, undefined);
}

function translate(pod: PodSpec, namespace: string, podName: string, cluster: readonly K8sObject[], dir: string, deadline: number | undefined): PodmanRun {
  onlyKnown('pod', pod);
  if (pod.containers.length !== 1) throw new Error(`${pod.containers.length} containers, expected 1`);
  const c = pod.containers[0] as Container;
  onlyKnown('container', c);
  if (pod.automountServiceAccountToken !== false) throw new Error('a service account token would be mounted');

  const lookup = (kind: 'Secret' | 'ConfigMap', ref: Ref): Record<string, string> | undefined => {
    const object = cluster.find((o) => o.kind === kind && o.metadata.name === ref.name && (o.metadata.namespace ?? namespace) === namespace);
    if (!object && !ref.optional) throw new Error(`${kind} ${namespace}/${ref.name} does not exist: the Pod would not start`);
    const data = (object?.data ?? {}) as Record<string, string>;
    return kind === 'ConfigMap' ? data : Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
  };
  const { env, expand } = environment(c, lookup, { 'metadata.name': podName, 'metadata.namespace': namespace });

  const options = ['--rm', '--hostname', podName, '--env-file', join(dir, 'env')];
  if (deadline !== undefined) options.push('--timeout', String(deadline));
  options.push('--pull', { Always: 'always', Never: 'never' }[c.imagePullPolicy ?? ''] ?? 'missing');
  options.push(...securityArgs(pod.securityContext ?? {}, c.securityContext ?? {}));
  const limits = c.resources?.limits ?? {};
  if (limits.memory) options.push('--memory', `${Math.ceil(quantity(limits.memory))}b`);
  if (limits.cpu) options.push('--cpus', String(quantity(limits.cpu)));

  for (const mount of c.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const source = volume?.configMap ? { kind: 'ConfigMap' as const, name: volume.configMap.name, fields: volume.configMap }
      : volume?.secret ? { kind: 'Secret' as const, name: volume.secret.secretName, fields: volume.secret } : undefined;
    // items, subPath, a defaultMode other than the 0644 the layout gives… would change the files or
    // where they appear: not translated.
    const { defaultMode, ...fields } = source?.fields ?? {};
    if (!source || Object.keys(volume ?? {}).length !== 2 || Object.keys(fields).length !== 1 || (defaultMode ?? 0o644) !== 0o644 ||
        Object.keys(mount).some((k) => !['name', 'mountPath', 'readOnly'].includes(k)))
      throw new Error(`volume mount not translated: ${JSON.stringify({ mount, volume })}`);
    // ConfigMap and Secret volumes are read-only whatever the mount says.
    options.push('-v', `${kubeletVolume(join(dir, 'volumes', mount.name), lookup(source.kind, source) ?? {})}:${mount.mountPath}:ro`);
  }
  // kubelet creates the file and bind-mounts it writable, whatever the root filesystem is.
  const terminationLog = join(dir, 'termination-log');
  writeFileSync(terminationLog, '');
  chmodSync(terminationLog, 0o666);
  options.push('-v', `${terminationLog}:${c.terminationMessagePath ?? '/dev/termination-log'}`);

  if (c.command) options.push('--entrypoint', JSON.stringify(c.command.map(expand)));
  return { podName, options, command: [c.image, ...(c.args ?? []).map(expand)], env: [...env].map(([k, v]) => `${k}=${v}\n`).join('') };
}

type Lookup = (kind: 'Secret' | 'ConfigMap', ref: Ref) => Record<string, string> | undefined;

/** envFrom first, then env (which wins); $(VAR) refers to a variable defined before it, $$ escapes. */
function environment(c: Container, lookup: Lookup, fields: Record<string, string>): { env: Map<string, string>; expand: (text: string) => string } {
  const env = new Map<string, string>();
  const expand = (text: string): string =>
    text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name?: string) => (name === undefined ? '$' : env.get(name) ?? whole));
  const keyOf = (kind: 'Secret' | 'ConfigMap', ref: Ref): string | undefined => {
    const value = lookup(kind, ref)?.[ref.key ?? ''];
    if (value === undefined && !ref.optional) throw new Error(`${kind} ${ref.name} has no key ${ref.key}: the Pod would not start`);
    return value;
  };
  for (const from of c.envFrom ?? []) {
    const data = from.secretRef ? lookup('Secret', from.secretRef) : from.configMapRef ? lookup('ConfigMap', from.configMapRef) : undefined;
    if (!data) throw new Error(`envFrom entry not translated: ${JSON.stringify(from)}`);
    for (const [key, value] of Object.entries(data)) env.set(`${from.prefix ?? ''}${key}`, value);
  }
  for (const e of c.env ?? []) {
    const f = e.valueFrom;
    const value = f === undefined ? expand(e.value ?? '')
      : f.fieldRef ? fields[f.fieldRef.fieldPath]
      : f.secretKeyRef ? keyOf('Secret', f.secretKeyRef)
      : f.configMapKeyRef ? keyOf('ConfigMap', f.configMapKeyRef) : undefined;
    if (value === undefined && !(f?.secretKeyRef?.optional || f?.configMapKeyRef?.optional)) throw new Error(`env ${e.name} not translated: ${JSON.stringify(f)}`);
    if (value !== undefined) env.set(e.name, value);
  }
  for (const [name, value] of env) if (/[\n\r]/.test(value)) throw new Error(`env ${name}: a multi-line value does not fit an env file`);
  return { env, expand };
}

function securityArgs(podLevel: Security, containerLevel: Security): string[] {
  onlyKnown('security', podLevel);
  onlyKnown('security', containerLevel);
  const s: Security = { ...podLevel, ...containerLevel };
  const args: string[] = [];
  if (s.runAsNonRoot === true && (typeof s.runAsUser !== 'number' || s.runAsUser === 0)) throw new Error('runAsNonRoot without a non-zero runAsUser');
  if (s.runAsUser !== undefined) args.push('--user', s.runAsGroup === undefined ? `${s.runAsUser}` : `${s.runAsUser}:${s.runAsGroup}`);
  if (s.readOnlyRootFilesystem === true) args.push('--read-only', '--read-only-tmpfs=false');
  if (s.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');
  for (const cap of s.capabilities?.drop ?? []) args.push('--cap-drop', cap);
  for (const cap of s.capabilities?.add ?? []) args.push('--cap-add', cap);
  const seccomp = s.seccompProfile?.type ?? 'RuntimeDefault';
  if (seccomp === 'Unconfined') args.push('--security-opt', 'seccomp=unconfined');
  else if (seccomp !== 'RuntimeDefault') throw new Error(`seccompProfile ${seccomp} not translated`);
  return args;
}

/** A Kubernetes quantity (256Mi, 500m, 2) as a number. */
function quantity(text: string): number {
  const match = /^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(text);
  if (!match) throw new Error(`quantity ${text} not translated`);
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/** kubelet's layout: each key a link into ..data, itself a link to a timestamped directory (swapped atomically on update). */
function kubeletVolume(dir: string, data: Record<string, string>): string {
  const stamp = `..${new Date().toISOString().replace(/[-T:]/g, '_').replace(/\..*/, '')}.${process.pid}`;
  mkdirSync(join(dir, stamp), { recursive: true });
  for (const [key, value] of Object.entries(data)) {
    writeFileSync(join(dir, stamp, key), value);
    chmodSync(join(dir, stamp, key), 0o644);
    symlinkSync(`..data/${key}`, join(dir, key));
  }
  symlinkSync(stamp, join(dir, '..data'));
  for (const d of [dir, join(dir, stamp)]) chmodSync(d, 0o755);
  return dir;
}
