// Validates rendered objects against the Kubernetes API schemas, rejecting unknown fields the way
// `kubectl apply --validate=strict` does. Two offline sources from npm, installed by tools/k8s-schemas.sh
// (the fast offline check; test/kube applies the same objects to a real API server):
// - kubernetes-models: validators compiled from the Kubernetes OpenAPI schemas (types, required
//   fields, enums, formats), which accept unknown fields;
// - @kubernetes/client-node: models generated from the OpenAPI spec, whose attribute maps list
//   every field of every type, used here to reject the fields that are not in it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { k8sModels, type K8sObject } from './tools.ts';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; message?: string; keyword: string; params: unknown }> | null;
}

const LEAF_TYPES = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

export class K8sSchemas {
  private readonly modelsDir: string;
  private readonly compiledDir: string;
  private readonly attributes = new Map<string, readonly Attribute[]>();

  constructor(nodeModules: string) {
    this.modelsDir = join(nodeModules, '@kubernetes', 'client-node', 'dist', 'gen', 'models');
    this.compiledDir = join(nodeModules, 'kubernetes-models', '_schemas');
  }

  /** Every problem with one object, as `Kind/name: /path: message`; empty when it is valid. */
  async validate(object: K8sObject): Promise<string[]> {
    const { group, version } = splitApiVersion(object.apiVersion);
    const label = `${object.kind}/${object.metadata?.name ?? '?'}`;
    const compiledFile = join(this.compiledDir, `IoK8sApi${pascal(group || 'core')}${pascal(version)}${object.kind}.js`);
    if (!existsSync(compiledFile)) return [`${label}: no schema for ${object.apiVersion} ${object.kind}`];
    const { validate } = (await import(pathToFileURL(compiledFile).href)) as { validate: CompiledValidator };
    const problems: string[] = [];
    if (!validate(object)) {
      for (const e of validate.errors ?? []) problems.push(`${label}: ${e.instancePath || '/'}: ${e.keyword} ${e.message ?? JSON.stringify(e.params)}`);
    }
    await this.unknownFields(`${pascal(version)}${object.kind}`, object, '', label, problems);
    return problems;
  }

  private async attributesOf(model: string): Promise<readonly Attribute[] | undefined> {
    const cached = this.attributes.get(model);
    if (cached) return cached;
    const file = join(this.modelsDir, `${model}.js`);
    if (!existsSync(file)) return undefined;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, { attributeTypeMap?: Attribute[] }>;
    const attrs = mod[model]?.attributeTypeMap;
    if (attrs) this.attributes.set(model, attrs);
    return attrs;
  }

  private async unknownFields(type: string, value: unknown, path: string, label: string, problems: string[]): Promise<void> {
    if (value === null || value === undefined || LEAF_TYPES.has(type)) return;
    const array = /^Array<(.+)>$/.exec(type);
    if (array) {
      if (Array.isArray(value)) for (const [i, item] of value.entries()) await this.unknownFields(array[1] as string, item, `${path}/${i}`, label, problems);
      return;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      if (isObject(value)) for (const [k, item] of Object.entries(value)) await this.unknownFields(map[1] as string, item, `${path}/${k}`, label, problems);
      return;
    }
    const attrs = await this.attributesOf(type);
    if (!attrs) {
      problems.push(`${label}: ${path || '/'}: no field list for type ${type}`);
      return;
    }
    if (!isObject(value)) return; // the compiled validator reports the wrong type
    for (const [key, item] of Object.entries(value)) {
      const attr = attrs.find((a) => a.baseName === key);
      if (!attr) problems.push(`${label}: ${path}/${key}: unknown field "${key}" in ${type}`);
      else await this.unknownFields(attr.type, item, `${path}/${key}`, label, problems);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const [a, b] = apiVersion.split('/');
  return b === undefined ? { group: '', version: a ?? '' } : { group: (a ?? '').split('.')[0] ?? '', version: b };
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Asserts that every object is valid against the Kubernetes schemas, unknown fields included. */
export async function assertValidObjects(objects: readonly K8sObject[]): Promise<void> {
  assert.ok(objects.length > 0, 'something was rendered');
  const schemas = new K8sSchemas(k8sModels);
  const problems = (await Promise.all(objects.map((o) => schemas.validate(o)))).flat();
  assert.deepEqual(problems, []);
}
