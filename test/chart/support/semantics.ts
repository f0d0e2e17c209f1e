// The hook semantics every way of installing syncproof must give its Job (issue 5 §2, §3).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.ts';
import type { K8sObject } from './tools.ts';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}
export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  terminationMessagePolicy?: string;
  securityContext?: Record<string, unknown>;
  resources?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
export interface PodSpec {
  restartPolicy: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: Array<{ name: string; configMap?: { name: string }; secret?: { secretName: string } }>;
  imagePullSecrets?: Array<{ name: string }>;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
}
export interface JobSpec {
  backoffLimit: number;
  activeDeadlineSeconds: number;
  ttlSecondsAfterFinished?: number;
  podFailurePolicy: { rules: Array<{ action: string; onExitCodes?: { containerName?: string; operator: string; values: number[] }; onPodConditions?: Array<{ type: string; status?: string }> }> };
  template: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
}

export function jobSpec(job: K8sObject): JobSpec {
  return job.spec as JobSpec;
}

export function container(job: K8sObject): Container {
  const containers = jobSpec(job).template.spec.containers;
  assert.equal(containers.length, 1);
  return containers[0] as Container;
}

export function envOf(job: K8sObject): Map<string, EnvVar> {
  return new Map((container(job).env ?? []).map((e) => [e.name, e]));
}

/** Asserts the Job's hook semantics; `suiteDeadline` in seconds bounds activeDeadlineSeconds. */
export function assertHookSemantics(job: K8sObject, configMapName: string, suiteDeadline: number): void {
  const annotations = job.metadata.annotations ?? {};
  assert.equal(annotations['argocd.argoproj.io/hook'], 'PostSync');
  assert.ok(annotations['argocd.argoproj.io/hook-delete-policy'], 'a hook-delete-policy');
  const spec = jobSpec(job);
  assert.equal(spec.backoffLimit, 0);
  assert.ok(spec.activeDeadlineSeconds > suiteDeadline + 10, `activeDeadlineSeconds ${spec.activeDeadlineSeconds} > ${suiteDeadline} + 10`);
  // First match wins (test/kube asserts what the real Job controller does with these rules).
  assert.deepEqual(spec.podFailurePolicy.rules, [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'syncproof', operator: 'In', values: [1, 2, 3] } },
  ]);
  const pod = spec.template.spec;
  assert.equal(pod.restartPolicy, 'Never');
  assert.equal(pod.automountServiceAccountToken, false);
  assert.deepEqual(pod.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
  assert.equal(pod.securityContext?.runAsNonRoot, true);
  assert.equal(pod.securityContext?.runAsUser, 10001);
  const c = container(job);
  assert.equal(c.name, 'syncproof');
  assert.equal(c.args?.[0], 'run');
  assert.equal(c.terminationMessagePolicy, 'FallbackToLogsOnError');
  const sc = c.securityContext ?? {};
  assert.equal(sc.allowPrivilegeEscalation, false);
  assert.equal(sc.readOnlyRootFilesystem, true);
  assert.equal(sc.runAsNonRoot, true);
  assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
  assert.deepEqual(sc.seccompProfile, { type: 'RuntimeDefault' });
  assert.ok(c.resources && Object.keys(c.resources).length > 0, 'resources set');
  assert.deepEqual(envOf(job).get('POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
  const mount = c.volumeMounts?.find((m) => m.mountPath === '/etc/syncproof');
  assert.ok(mount?.readOnly, 'the suite is mounted read-only at /etc/syncproof');
  const volume = pod.volumes?.find((v) => v.name === mount.name);
  assert.equal(volume?.configMap?.name, configMapName);
}

/** Runs `syncproof validate` on a ConfigMap's data mounted as a directory, as kubelet would. */
export async function validateSuite(configMap: K8sObject, env: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-chart-'));
  try {
    const data = configMap.data as Record<string, string>;
    assert.ok(Object.keys(data).length > 0, 'the ConfigMap has data');
    for (const [key, text] of Object.entries(data)) writeFileSync(join(dir, key), text);
    const result = await runCli(['validate', '--config', dir], { env });
    assert.equal(result.code, 0, `syncproof validate: ${result.stdout}${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
