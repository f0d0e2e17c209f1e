// Validated files to one suite: top-level keys and defaults merged, probes and sinks concatenated.
import { basename, extname } from 'node:path';
import { probeTypes } from '../probes/index.ts';
import { sinkTypes } from '../sinks/index.ts';
import { storeSchemaFor } from '../store/spec.ts';
import { configError } from './errors.ts';
import { validate } from './validate.ts';
import { MergedKeys } from './merge.ts';
import { afterErrors, assertionsOf, duplicateNames, entryNode, hostErrors, timeoutErrors, timingOf, type ProbeDraft } from './rules.ts';
import { defaultsSchema, fileTopSchema, probeSchema, probeTypeSchema, sinkSchema, TIMING_KEYS } from './schema.ts';
import { toPlain, type MapNode, type Node } from './tree.ts';
import type { ConfigError, ProbeConfig, SinkConfig, SinkWhen, Suite, Timing } from '../suite.ts';

export interface SuiteDocument {
  readonly file: string;
  readonly root: MapNode;
}

const TOP_KEYS = ['suite', 'concurrency', 'deadline', 'signing'] as const;

/** `complete` is false when some file could not be read or parsed: then what it may hold is not reported missing. */
/**
 * `offline` (`validate --offline`): a probe or sink whose only problems are values holding an unresolved
 * interpolation is kept as written, unchecked there; such a suite is only counted, never run.
 */
export function assembleSuite(documents: readonly SuiteDocument[], env: NodeJS.ProcessEnv, complete: boolean, offline = false): { suite?: Suite; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const merged = new MergedKeys();
  const drafts: ProbeDraft[] = [];
  const sinks: SinkConfig[] = [];
  const top = fileTopSchema();
  // Built when needed: the union only for a probe whose type is not a registered type's name.
  let probeUnion: ReturnType<typeof probeSchema> | undefined;
  let sinkUnion: ReturnType<typeof sinkSchema> | undefined;
  let topsValid = true; // else a deadline or default timeout in error reads as its built-in value

  for (const { root } of documents) {
    const topResult = validate(top, root, [], topLevel);
    topsValid &&= topResult.ok;
    if (!topResult.ok) errors.push(...topResult.errors);
    else {
      for (const key of TOP_KEYS) {
        const entry = root.entries.get(key);
        if (entry) pushIf(errors, merged.set(key, topResult.value[key], entry.node.at));
      }
      const defaults = entryNode(root, 'defaults');
      for (const key of TIMING_KEYS) {
        const entry = defaults?.kind === 'map' ? defaults.entries.get(key) : undefined;
        if (entry) pushIf(errors, merged.set(`defaults.${key}`, topResult.value.defaults?.[key], entry.node.at));
      }
    }
    const store = root.entries.get('store');
    if (store) {
      const result = validate(storeSchemaFor(store.node.kind === 'map' && store.node.entries.has('path')), root, ['store']);
      if (!result.ok) errors.push(...result.errors);
      else pushIf(errors, merged.set('store', result.value, store.node.at));
    }
    const probes = entryNode(root, 'probes');
    if (probes?.kind === 'seq') {
      probes.items.forEach((node, i) => {
        const path = ['probes', i];
        const name = entryNode(node, 'name');
        const typeNode = entryNode(node, 'type');
        const type = typeNode?.kind === 'scalar' && typeof typeNode.value === 'string' && Object.hasOwn(probeTypes, typeNode.value) ? probeTypes[typeNode.value] : undefined;
        const result = validate(type ? probeTypeSchema(type) : (probeUnion ??= probeSchema()), root, path);
        if (!result.ok) errors.push(...result.errors);
        const valid = result.ok ? result.value : offline && result.errors.length === 0 ? (toPlain(node) as Record<string, unknown>) : undefined;
        drafts.push({
          path,
          node,
          ...(name?.kind === 'scalar' && typeof name.value === 'string' ? { name: name.value } : {}),
          ...(type ? { type } : {}),
          ...(valid ? { valid } : {}),
        });
      });
    }
    const sinkList = entryNode(root, 'sinks');
    if (sinkList?.kind === 'seq') {
      sinkList.items.forEach((node, i) => {
        const result = validate((sinkUnion ??= sinkSchema()), root, ['sinks', i]);
        if (!result.ok) errors.push(...result.errors);
        else sinks.push(sinkConfig(result.value, node.at));
        if (!result.ok && offline && result.errors.length === 0) sinks.push(sinkConfig(toPlain(node) as Record<string, unknown>, node.at));
      });
    }
  }

  if (drafts.length === 0 && documents.length > 0 && complete) {
    const first = documents[0]!.root;
    const listed = entryNode(first, 'probes');
    errors.push(configError(listed?.at ?? first.at, 'probes', listed ? 'a suite needs at least one probe' : 'missing required key "probes": a suite needs at least one probe'));
  }
  errors.push(...duplicateNames(drafts), ...afterErrors(drafts, complete), ...hostErrors(drafts));

  const defaults = mergedDefaults(merged);
  const builtIn = top.parse({});
  const deadlineMs = (merged.get('deadline') as number | undefined) ?? builtIn.deadline;
  if (topsValid) errors.push(...timeoutErrors(drafts, { ms: deadlineMs, at: merged.at('deadline') }, { ms: defaults.timeoutMs, at: merged.at('defaults.timeout') }));
  const probes: ProbeConfig[] = [];
  for (const draft of drafts) {
    if (draft.type === undefined) continue;
    const expect = assertionsOf(draft, draft.type);
    errors.push(...expect.errors);
    if (draft.valid === undefined || draft.name === undefined || expect.errors.length > 0) continue;
    probes.push({
      name: draft.name,
      type: draft.type.type,
      spec: specOf(draft.valid, draft.type.spec.shape),
      timing: timingOf(draft.valid, defaults),
      after: (draft.valid.after as string[] | undefined) ?? [],
      expect: expect.assertions,
      at: draft.node.at,
    });
  }
  if (errors.length > 0 || documents.length === 0) return { errors };

  const firstFile = documents[0]!.file;
  const suite: Suite = {
    name: (merged.get('suite') as string | undefined) ?? (env.ARGOCD_APP_NAME || basename(firstFile, extname(firstFile))),
    concurrency: (merged.get('concurrency') as number | undefined) ?? builtIn.concurrency,
    deadlineMs,
    probes,
    sinks,
    signing: (merged.get('signing') as Suite['signing'] | undefined) ?? null,
    store: (merged.get('store') as Suite['store'] | undefined) ?? null,
    files: documents.map((d) => d.file),
  };
  return { suite, errors };
}

/**
 * A file's top level as the top schema reads it. Its `probes` and `sinks` are checked item by item afterwards,
 * so a list of them is given as an empty one: the schema asks only that they are lists, and a copy of every
 * probe was made here and dropped (3 of the 49 young-generation collections of validating 2,000 probes).
 */
function topLevel(node: Node): unknown {
  if (node.kind !== 'map') return toPlain(node);
  const out: Record<string, unknown> = {};
  for (const [key, entry] of node.entries) out[key] = (key === 'probes' || key === 'sinks') && entry.node.kind === 'seq' ? [] : toPlain(entry.node);
  return out;
}

function mergedDefaults(merged: MergedKeys): Timing {
  const builtIn = defaultsSchema.parse({});
  const value = <K extends (typeof TIMING_KEYS)[number]>(key: K): (typeof builtIn)[K] =>
    (merged.get(`defaults.${key}`) as (typeof builtIn)[K] | undefined) ?? builtIn[key];
  return {
    timeoutMs: value('timeout'),
    withinMs: value('within'),
    intervalMs: value('interval'),
    passes: value('passes'),
    severity: value('severity'),
  };
}

function sinkConfig(valid: Readonly<Record<string, unknown>>, at: SinkConfig['at']): SinkConfig {
  const type = Object.hasOwn(sinkTypes, String(valid.type)) ? sinkTypes[String(valid.type)] : undefined;
  return {
    type: type?.type ?? String(valid.type),
    on: valid.on as SinkWhen,
    required: valid.required as boolean,
    spec: specOf(valid, type?.spec.shape ?? {}),
    at,
  };
}

/** The keys of `valid` that a type's spec declares (`shape`), in `valid`'s order; a loop, as it runs once per probe. */
function specOf(valid: Readonly<Record<string, unknown>>, shape: object): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const key in valid) if (Object.hasOwn(valid, key) && Object.hasOwn(shape, key)) spec[key] = valid[key];
  return spec;
}

function pushIf(errors: ConfigError[], error: ConfigError | undefined): void {
  if (error !== undefined) errors.push(error);
}
