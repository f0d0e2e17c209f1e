// The tools the chart checks need, none of them project dependencies: a renderer (`helm`, else
// tools/helm-render built by .ci/chart-check), Kubernetes schemas from npm installed by
// .ci/chart-check outside the repo, and kubectl (for kustomize).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART = join(REPO, 'chart');
export const HOOKS = join(REPO, 'hooks');
export const TOOLS_DIR = process.env.SYNCPROOF_CHART_TOOLS ?? '/var/cache/syncproof-ci/chart-tools';
/** Kubernetes version the chart is rendered for (it must satisfy Chart.yaml's kubeVersion). */
export const KUBE_VERSION = '1.31.0';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const helmRender = join(TOOLS_DIR, 'bin', 'helm-render');
export const renderer: string | undefined = onPath('helm') ? 'helm' : existsSync(helmRender) ? helmRender : undefined;
export const k8sModels = join(TOOLS_DIR, 'node_modules');
const haveSchemas = existsSync(join(k8sModels, 'kubernetes-models')) && existsSync(join(k8sModels, '@kubernetes', 'client-node'));

/**
 * Why the chart checks cannot run here, or undefined. Under .ci/chart-check
 * (SYNCPROOF_CHART_CHECK=1) a missing tool is a failure, not a skip.
 */
export function missingTools(): string | undefined {
  const missing = [
    renderer ? '' : 'helm or tools/helm-render',
    haveSchemas ? '' : 'kubernetes-models and @kubernetes/client-node',
    onPath('kubectl') ? '' : 'kubectl',
  ].filter(Boolean);
  if (missing.length === 0) return undefined;
  const why = `missing ${missing.join(', ')} under ${TOOLS_DIR}: run .ci/chart-check`;
  if (process.env.SYNCPROOF_CHART_CHECK === '1') throw new Error(why);
  return why;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export function parseManifests(text: string): K8sObject[] {
  const docs = parseAllDocuments(text);
  const objects: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}

export interface RenderResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** `helm template RELEASE CHART …args` with helm or its stand-in (same arguments). */
export function helmTemplate(release: string, chart: string, args: readonly string[]): RenderResult {
  if (!renderer) throw new Error('no renderer');
  const result = spawnSync(renderer, ['template', release, chart, '--kube-version', KUBE_VERSION, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

export function render(release: string, chart: string, args: readonly string[]): K8sObject[] {
  const result = helmTemplate(release, chart, args);
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function kustomize(dir: string): K8sObject[] {
  return parseManifests(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 }));
}

export function find(objects: readonly K8sObject[], kind: string): K8sObject {
  const matches = objects.filter((o) => o.kind === kind);
  if (matches.length !== 1) throw new Error(`expected one ${kind}, found ${matches.length}`);
  return matches[0] as K8sObject;
}
