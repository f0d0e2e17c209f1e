// The walk of one parsed YAML document into the positioned tree (./tree.ts): aliases and merge keys bounded,
// values interpolated and re-read as YAML would, secrets registered. The yaml package's nodes go through it
// whole; the plain-subset reader (./plain-yaml.ts) builds the tree itself and has its values made by `scalar`.
import { dirname } from 'node:path';
import type { Document } from 'yaml';
import { registerSecret } from '../secrets.ts';
import { configError } from './errors.ts';
import { interpolate } from './interpolate.ts';
import { CORE_LITERAL, coreLiteral } from './core-literal.ts';
import { formatPath, type Entry, type Node, type PathKey } from './tree.ts';
import { isAlias, isMap, isScalar, isSeq, type Range } from './yaml-nodes.ts';
import type { ConfigError, SourcePosition } from '../suite.ts';

/** Thrown by the plain path when only the yaml package can say what a value is (see `reread`). */
export const NEEDS_YAML = Symbol('needs the yaml package');

export type YamlPackage = typeof import('yaml');

export interface ParseOptions {
  /** `validate --offline`: interpolations checked for their form, not resolved (./interpolate.ts). */
  readonly offline?: boolean;
}

export class Walker {
  readonly errors: ConfigError[] = [];
  readonly secrets: { value: string; at: SourcePosition; path: string }[] = [];
  /** The file's directory: `${file:…}` paths are relative to it. */
  readonly #dir: string;
  /** Absent when the plain-subset reader read the file: it reads no aliases. */
  readonly #doc: Document | undefined;
  readonly #at: (offset: number) => SourcePosition;
  readonly #env: NodeJS.ProcessEnv;
  readonly #options: ParseOptions;
  /** Absent on the plain path. */
  readonly #yaml: YamlPackage | undefined;

  constructor(file: string, doc: Document | undefined, at: (offset: number) => SourcePosition, env: NodeJS.ProcessEnv, options: ParseOptions, yaml: YamlPackage | undefined) {
    this.#dir = dirname(file);
    this.#doc = doc;
    this.#at = at;
    this.#env = env;
    this.#options = options;
    this.#yaml = yaml;
  }

  /**
   * `path` is where `yaml` is, as a stack this walk pushes to and pops (one array for the whole walk, not one
   * per node): it is read only to format an error or a secret's place at once, never kept.
   */
  node(yaml: unknown, path: PathKey[], fallback: SourcePosition, open: Set<unknown>): Node {
    const at = hasRange(yaml) ? this.#at(yaml.range[0]) : fallback;
    if (isAlias(yaml)) {
      const target = this.#doc === undefined ? undefined : yaml.resolve(this.#doc);
      if (target === undefined || open.has(target)) {
        this.errors.push(configError(at, formatPath(path), `YAML: alias *${yaml.source} ${target === undefined ? 'names no anchor' : 'refers to a value that contains it'}`));
        return { kind: 'scalar', at, value: null, failed: true };
      }
      return this.node(target, path, at, open);
    }
    if (isMap(yaml)) {
      const entries = new Map<string, Entry>();
      const merges: { value: unknown; keyAt: SourcePosition }[] = [];
      open.add(yaml);
      for (const pair of yaml.items) {
        const keyAt = hasRange(pair.key) ? this.#at(pair.key.range[0]) : at;
        if (isMergeKey(pair.key)) {
          merges.push({ value: pair.value, keyAt });
          continue;
        }
        if (!isScalar(pair.key) || (typeof pair.key.value !== 'string' && typeof pair.key.value !== 'number')) {
          this.errors.push(configError(keyAt, formatPath(path), 'YAML: a key must be plain text'));
          continue;
        }
        const key = String(pair.key.value);
        path.push(key);
        entries.set(key, { keyAt, node: this.node(pair.value, path, keyAt, open) });
        path.pop();
      }
      for (const merge of merges) this.merge(merge.value, merge.keyAt, entries, path, open);
      open.delete(yaml);
      return { kind: 'map', at, entries };
    }
    if (isSeq(yaml)) {
      open.add(yaml);
      const items: Node[] = [];
      for (const item of yaml.items) {
        path.push(items.length);
        items.push(this.node(item, path, at, open));
        path.pop();
      }
      open.delete(yaml);
      return { kind: 'seq', at, items };
    }
    if (isScalar(yaml)) return this.scalar(yaml.value, yaml.type, yaml.source, at, path);
    return { kind: 'scalar', at, value: null };
  }

  /**
   * `<<: *base` (or `<<: [*a, *b]`), as Helm values and Kubernetes manifests use it: the keys of the mapping(s)
   * that the map does not set itself, the earlier source winning; each merged key keeps the position where
   * it was written.
   */
  merge(value: unknown, keyAt: SourcePosition, entries: Map<string, Entry>, path: PathKey[], open: Set<unknown>): void {
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const node = this.node(source, path, keyAt, open);
      if (node.kind === 'scalar' && node.failed) continue;
      if (node.kind !== 'map') {
        this.errors.push(configError(keyAt, formatPath([...path, '<<']), 'YAML: a merge key (<<) takes a mapping or a list of them, e.g. <<: *defaults'));
        continue;
      }
      for (const [key, entry] of node.entries) if (!entries.has(key)) entries.set(key, entry);
    }
  }

  /** A scalar's node: `type` and `source` as the yaml package's Scalar has them (the plain-subset reader gives the same). */
  scalar(value: unknown, type: string | undefined, source: string | undefined, at: SourcePosition, path: readonly PathKey[]): Node {
    const plain = type === 'PLAIN';
    const singleLine = typeof source === 'string' && !source.includes('\n');
    // The nodes are built without spreading optional keys in: a spread object literal is copied property by
    // property at run time, and this runs for every value of the suite.
    if (typeof value !== 'string') return plain && singleLine ? { kind: 'scalar', at, value, textCol: at.col } : { kind: 'scalar', at, value };
    const result = interpolate(value, this.#env, this.#dir, this.#options);
    if (!result.ok) {
      for (const message of result.messages) this.errors.push(configError(at, formatPath(path), message));
      return { kind: 'scalar', at, value, failed: true };
    }
    if (result.substituted.length > 0) {
      result.substituted.forEach(registerSecret);
      const where = formatPath(path);
      for (const secret of result.substituted) this.secrets.push({ value: secret, at, path: where });
    }
    if (result.changed && this.#options.offline && result.references > 0) return { kind: 'scalar', at, value: result.value, unresolved: true };
    if (result.changed) return { kind: 'scalar', at, value: plain ? reread(result.value, result.substituted.length > 0, this.#yaml) : result.value };
    const textCol = !singleLine ? undefined : plain ? at.col : source === value && isQuoted(type) ? at.col + 1 : undefined;
    return textCol === undefined ? { kind: 'scalar', at, value } : { kind: 'scalar', at, value, textCol };
  }
}


/**
 * An unquoted value that was interpolated reads as YAML again, so `port: ${env:PORT}` is a number. When the
 * value holds a secret, the number as it will be printed (`000731955028` → 731955028, `0x7fe3a91c` →
 * 2145626396) is a secret too: an error such as `got number 2145626396` must not show it.
 */
function reread(value: string, secret: boolean, yaml: YamlPackage | undefined): unknown {
  // Only a whole number, boolean or null literal: a secret such as `#x…` or `!x…` must stay text.
  const trimmed = value.trim();
  if (!CORE_LITERAL.test(trimmed)) return value;
  let parsed: unknown;
  if (trimmed === value) {
    parsed = coreLiteral(value);
  } else if (yaml === undefined) {
    // Whitespace around the literal (a tab, a line break, U+00A0…): the yaml package says how that reads.
    throw NEEDS_YAML;
  } else {
    try {
      // Silent: the yaml package prints warnings (an unknown directive or tag) with the text, which is a secret.
      parsed = yaml.parse(value, { logLevel: 'silent' });
    } catch {
      return value;
    }
  }
  if (typeof parsed === 'number' && secret) registerSecret(String(parsed));
  return typeof parsed === 'number' || typeof parsed === 'boolean' || parsed === null ? parsed : value;
}

/** A plain `<<` key (a quoted one is an ordinary key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === 'PLAIN';
}

function isQuoted(type: string | undefined): boolean {
  return type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
}

function hasRange(node: unknown): node is { range: Range } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}
