// What Argo CD computes from live objects: gitops-engine's health and hook code, run by
// tools/argo-health (built by tools/go-tools.sh against the pinned gitops-engine module).
import { spawnSync } from 'node:child_process';
import { goToolPaths } from '../../tools/prerequisites/checks.ts';
import type { KubeObject } from '../support/kube/api.ts';

export interface ArgoVerdict {
  kind: string;
  name: string;
  /** Healthy, Progressing, Degraded, Suspended, Missing, Unknown; '' when Argo CD has no health check for the kind. */
  health: string;
  message: string;
  isHook: boolean;
  hookTypes: string[];
  deletePolicies: string[];
  /** The hook phase Argo CD derives from that health: Running, Succeeded or Failed, and its message. */
  phase: string;
  phaseMessage: string;
}

export function argoHealth(object: KubeObject): ArgoVerdict {
  const bin = goToolPaths().get('argo-health') as string;
  const result = spawnSync(bin, [], { input: JSON.stringify([object]), encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`argo-health: ${result.stderr}`);
  return (JSON.parse(result.stdout) as ArgoVerdict[])[0] as ArgoVerdict;
}
