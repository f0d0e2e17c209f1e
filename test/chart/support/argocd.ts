// Rendering the chart with values given as objects (a values file per render, so lists with commas
// and nested maps reach helm and its stand-in alike), and the Pod spec of whatever runs syncproof.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CHART, find, helmTemplate, parseManifests, type K8sObject, type RenderResult } from './tools.ts';
import type { PodSpec } from './semantics.ts';

/** The minimal values every render needs: a suite and an image. */
export const BASE = {
  image: { repository: 'registry.example.com/platform/syncproof' },
  suite: { probes: [{ name: 'health', type: 'http', url: 'http://orders.orders.svc:8080/healthz' }] },
};

export function templateWith(values: Record<string, unknown>, args: readonly string[] = []): RenderResult {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(values));
    return helmTemplate('orders', CHART, ['-n', 'orders', '-f', file, ...args]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderWith(values: Record<string, unknown>, args: readonly string[] = []): K8sObject[] {
  const result = templateWith(values, args);
  assert.equal(result.ok, true, `helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function refused(values: Record<string, unknown>, message: RegExp): void {
  const result = templateWith(values);
  assert.equal(result.ok, false, `expected a refusal of ${JSON.stringify(values)}, got:\n${result.stdout}`);
  assert.match(result.stderr, message);
}

export function byName(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const match = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(match, `${kind}/${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return match;
}

export interface FailurePolicyRule {
  action: string;
  onExitCodes?: { containerName?: string; operator: string; values: number[] };
  onPodConditions?: Array<{ type: string; status?: string }>;
}
export interface JobSpecLike {
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  podFailurePolicy?: { rules: FailurePolicyRule[] };
  template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec & { activeDeadlineSeconds?: number } };
}

/** The Job spec of a Job, or of a CronJob's jobTemplate. */
export function jobSpecOf(object: K8sObject): JobSpecLike {
  if (object.kind === 'CronJob') return (object.spec as { jobTemplate: { spec: JobSpecLike } }).jobTemplate.spec;
  assert.equal(object.kind, 'Job');
  return object.spec as JobSpecLike;
}

/** The Pod spec that runs syncproof: a Pod's own, or a Job's or CronJob's template. */
export function podSpecOf(object: K8sObject): PodSpec & { activeDeadlineSeconds?: number } {
  if (object.kind === 'Pod') return object.spec as PodSpec & { activeDeadlineSeconds?: number };
  return jobSpecOf(object).template.spec;
}

export function theJob(objects: readonly K8sObject[]): K8sObject {
  return find(objects, 'Job');
}
