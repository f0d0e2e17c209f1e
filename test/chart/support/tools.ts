// The real tools the chart checks run: Helm and kustomize built from their Go modules by
// tools/go-tools.sh (pinned, in a cache outside the repo), and the Kubernetes schemas of
// tools/k8s-schemas.sh. `npm test` installs them first (tools/prerequisites); a test file run on its
// own without them fails at once with the line that says how to get them: nothing is skipped.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { goToolPaths, REPO as REPO_DIR, SCHEMAS_DIR } from '../../../tools/prerequisites/checks.ts';
import { PREREQUISITES } from '../../../tools/prerequisites/list.ts';

export const REPO = REPO_DIR;
export const CHART = join(REPO, 'chart');
export const HOOKS = join(REPO, 'hooks');
export const TOOLS_DIR = SCHEMAS_DIR;
/** Kubernetes version the chart is rendered for (it must satisfy Chart.yaml's kubeVersion). */
export const KUBE_VERSION = '1.31.0';

const tools = goToolPaths();
export const HELM = tools.get('helm') as string;
export const KUSTOMIZE = tools.get('kustomize') as string;
/** The renderer: real Helm (kept as an export for the tests that print it). */
export const renderer = HELM;
export const k8sModels = join(TOOLS_DIR, 'node_modules');

/**
 * Always undefined once the chart tools are there (the value tests pass as `skip`); throws the
 * one line naming what is missing otherwise, so a chart test never silently skips.
 */
export function missingTools(): undefined {
  const missing = PREREQUISITES.filter((p) => ['helm', 'kustomize', 'Kubernetes schemas'].includes(p.name) && !p.present());
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((p) => p.name).join(', ')}: run \`node tools/prerequisites/check.ts\` (npm test runs it first)`);
  }
  return undefined;
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

/** Runs the real `helm` with its own config, cache and data directories kept out of $HOME. */
export function helm(args: readonly string[], cwd?: string): RenderResult {
  const home = join(TOOLS_DIR, 'helm-home');
  const result = spawnSync(HELM, args, {
    encoding: 'utf8',
    timeout: 60_000,
    cwd,
    env: { ...process.env, HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data') },
  });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

/** `helm template RELEASE CHART --kube-version … …args`. */
export function helmTemplate(release: string, chart: string, args: readonly string[]): RenderResult {
  return helm(['template', release, chart, '--kube-version', KUBE_VERSION, ...args]);
}

export function render(release: string, chart: string, args: readonly string[]): K8sObject[] {
  const result = helmTemplate(release, chart, args);
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

/** `kustomize build DIR` with the real kustomize. */
export function kustomize(dir: string): K8sObject[] {
  const result = spawnSync(KUSTOMIZE, ['build', dir], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function find(objects: readonly K8sObject[], kind: string): K8sObject {
  const matches = objects.filter((o) => o.kind === kind);
  if (matches.length !== 1) throw new Error(`expected one ${kind}, found ${matches.length}`);
  return matches[0] as K8sObject;
}
