// One YAML file to a positioned tree: syntax errors with positions, interpolation, secrets registered.
// The yaml package is a parameter, not an import: a file the plain-subset reader reads never loads it.
import { dirname } from 'node:path';
import type { Composer, Document, LineCounter } from 'yaml';
import { MIN_SECRET_LENGTH, registerSecret } from '../secrets.ts';
import { configError } from './errors.ts';
import { withFlowHints } from './flow-hint.ts';
import { interpolate } from './interpolate.ts';
import { CORE_LITERAL, coreLiteral } from './core-literal.ts';
import { MAX_NESTING, NestingBound } from './nesting.ts';
import { readPlainBlockYaml } from './plain-yaml.ts';
import { formatPath, type Entry, type Node, type PathKey } from './tree.ts';
import { isAlias, isMap, isScalar, isSeq, lineStartsOf, type LinePositions, type Range } from './yaml-nodes.ts';
import type { ConfigError, SourcePosition } from '../suite.ts';

const MAX_ALIAS_COUNT = 100;
/** Thrown by the plain path when only the yaml package can say what a value is (see `reread`). */
const NEEDS_YAML = Symbol('needs the yaml package');

export type YamlPackage = typeof import('yaml');

export interface ParsedFile {
  /** Absent when the file could not be read as YAML at all. */
  readonly root?: Node;
  readonly errors: readonly ConfigError[];
  /** Not errors: the suite loads, but something in it will not show as the user expects. */
  readonly warnings?: readonly ConfigError[];
}

export interface ParseOptions {
  /** `validate --offline`: interpolations checked for their form, not resolved (./interpolate.ts). */
  readonly offline?: boolean;
}

/** The plain-subset reader's reading (./plain-yaml.ts), without the yaml package; undefined when the file needs it. */
export function parsePlainYamlFile(file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions = {}): ParsedFile | undefined {
  const plain = readPlainBlockYaml(text);
  if (plain === undefined) return undefined;
  try {
    return walk(file, text, env, options, plain, undefined, lineStartsOf(text), undefined);
  } catch (error) {
    if (error === NEEDS_YAML) return undefined;
    throw error;
  }
}

/** `reader`: 'yaml' skips the plain-subset reader (./plain-yaml.ts); a test compares the two. */
export function parseYamlFile(yaml: YamlPackage, file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions = {}, reader: 'any' | 'yaml' = 'any'): ParsedFile {
  const plain = reader === 'any' ? parsePlainYamlFile(file, text, env, options) : undefined;
  if (plain !== undefined) return plain;
  const lines = new yaml.LineCounter();
  const read = readDocument(yaml, text, lines);
  if ('tooDeep' in read) {
    const before = text.slice(0, read.tooDeep).split('\n');
    const at = { file, line: before.length, col: before.at(-1)!.length + 1 };
    return { errors: [configError(at, '', `YAML: nested more than ${MAX_NESTING} levels deep`)] };
  }
  const { doc, expands } = read;
  const at = (offset: number): SourcePosition => ({ file, ...lines.linePos(offset) });
  if (doc.errors.length > 0) {
    return { errors: withFlowHints(doc.errors.map((e) => configError(at(e.pos[0]), '', `YAML: ${e.message}`)), text) };
  }
  if (expands) {
    try {
      // Lets the yaml package enforce its alias limits (billion laughs) before the tree is expanded.
      // mapAsMap: a key that is a list or a map would else make the yaml package print a warning on stderr.
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
    } catch (error) {
      return { errors: [configError(at(0), '', `YAML: ${error instanceof Error ? error.message : String(error)}`)] };
    }
  }
  return walk(file, text, env, options, doc.contents, doc, lines, yaml);
}

function walk(file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions, contents: unknown, doc: Document | undefined, lines: LinePositions, yaml: YamlPackage | undefined): ParsedFile {
  const at = (offset: number): SourcePosition => ({ file, ...lines.linePos(offset) });
  const walker = new Walker(file, doc, at, env, options, yaml);
  const root = walker.node(contents, [], at(0), new Set());
  return { root, errors: walker.errors, warnings: secretsInText(text, walker.secrets, at) };
}

/**
 * A secret's value that the suite also holds as plain text (a password `postgres` beside `type: postgres`)
 * is masked there too: probe names, URL schemes and database names would read `***` in every output.
 */
function secretsInText(text: string, secrets: readonly { value: string; at: SourcePosition; path: string }[], at: (offset: number) => SourcePosition): ConfigError[] {
  if (secrets.length === 0) return [];
  // The references themselves (a fallback is written there) are not the suite's other text.
  const plain = text.replace(/\$\{[^}]*\}?/g, (ref) => ' '.repeat(ref.length));
  const warnings: ConfigError[] = [];
  const seen = new Set<string>();
  for (const secret of secrets) {
    const value = secret.value.trim();
    if (value.length < MIN_SECRET_LENGTH || seen.has(value)) continue;
    seen.add(value);
    const offset = plain.indexOf(value);
    if (offset < 0) continue;
    const where = at(offset);
    warnings.push(configError(secret.at, secret.path, `the secret interpolated here also occurs in the suite's own text at line ${where.line}, column ${where.col}: it is shown as *** there too (in names, URLs, reports and records); use a secret that is not also a word of the suite`));
  }
  return warnings;
}

/**
 * What the yaml package's `parseDocument` returns, lexing the text once: each token is checked against the
 * nesting bound before the parser sees it, so nothing deeper is ever built. `expands` is false when no token
 * could make `toJS` throw: no alias (`*a`) and no directive (`%YAML 1.1` enables `<<` merge keys, which
 * throw on a source that is not a map); then `toJS` would only copy the tree.
 */
function readDocument(yaml: YamlPackage, text: string, lines: LineCounter): { doc: Document; expands: boolean } | { tooDeep: number } {
  const bound = new NestingBound();
  const parser = new yaml.Parser(lines.addNewLine);
  const composer = new yaml.Composer({ lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const docs: Document[] = [];
  const compose = (tokens: Iterable<Parameters<Composer['next']>[0]>): void => {
    for (const token of tokens) if (docs.length < 2) docs.push(...composer.next(token));
  };
  let offset = 0;
  let expands = false;
  lines.addNewLine(0); // as Parser.parse does
  for (const lexeme of new yaml.Lexer().lex(text)) {
    if (bound.exceeds(lexeme)) return { tooDeep: offset };
    offset += lexeme.length;
    // An alias, a directive (`%YAML 1.1` merge keys) or a tag (`!!merge <<`): toJS must see the document.
    if (lexeme[0] === '*' || lexeme[0] === '%' || lexeme[0] === '!') expands = true;
    if (docs.length < 2) compose(parser.next(lexeme));
  }
  compose(parser.end());
  if (docs.length < 2) docs.push(...composer.end(true, text.length));
  const [doc, second] = docs as [Document, ...Document[]];
  // parseDocument's own error for a second document
  if (second) doc.errors.push(new yaml.YAMLParseError(second.range!.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
  return { doc, expands };
}

class Walker {
  readonly errors: ConfigError[] = [];
  readonly secrets: { value: string; at: SourcePosition; path: string }[] = [];
  readonly #file: string;
  /** Absent when the plain-subset reader read the file: it reads no aliases. */
  readonly #doc: Document | undefined;
  readonly #at: (offset: number) => SourcePosition;
  readonly #env: NodeJS.ProcessEnv;
  readonly #options: ParseOptions;
  /** Absent on the plain path. */
  readonly #yaml: YamlPackage | undefined;

  constructor(file: string, doc: Document | undefined, at: (offset: number) => SourcePosition, env: NodeJS.ProcessEnv, options: ParseOptions, yaml: YamlPackage | undefined) {
    this.#file = file;
    this.#doc = doc;
    this.#at = at;
    this.#env = env;
    this.#options = options;
    this.#yaml = yaml;
  }

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
        entries.set(key, { keyAt, node: this.node(pair.value, [...path, key], keyAt, open) });
      }
      for (const merge of merges) this.merge(merge.value, merge.keyAt, entries, path, open);
      open.delete(yaml);
      return { kind: 'map', at, entries };
    }
    if (isSeq(yaml)) {
      open.add(yaml);
      const items = yaml.items.map((item, i) => this.node(item, [...path, i], at, open));
      open.delete(yaml);
      return { kind: 'seq', at, items };
    }
    if (isScalar(yaml)) return this.scalar(yaml, at, path);
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

  scalar(yaml: { value: unknown; type?: string | undefined; source?: string | undefined; range?: unknown }, at: SourcePosition, path: PathKey[]): Node {
    const plain = yaml.type === 'PLAIN';
    const singleLine = typeof yaml.source === 'string' && !yaml.source.includes('\n');
    if (typeof yaml.value !== 'string') return { kind: 'scalar', at, value: yaml.value, ...(plain && singleLine ? { textCol: at.col } : {}) };
    const result = interpolate(yaml.value, this.#env, dirname(this.#file), this.#options);
    if (!result.ok) {
      for (const message of result.messages) this.errors.push(configError(at, formatPath(path), message));
      return { kind: 'scalar', at, value: yaml.value, failed: true };
    }
    result.substituted.forEach(registerSecret);
    for (const value of result.substituted) this.secrets.push({ value, at, path: formatPath(path) });
    if (result.changed && this.#options.offline && result.references > 0) return { kind: 'scalar', at, value: result.value, unresolved: true };
    if (result.changed) return { kind: 'scalar', at, value: plain ? reread(result.value, result.substituted.length > 0, this.#yaml) : result.value };
    const textCol = !singleLine ? undefined : plain ? at.col : yaml.source === yaml.value && isQuoted(yaml.type) ? at.col + 1 : undefined;
    return { kind: 'scalar', at, value: yaml.value, ...(textCol === undefined ? {} : { textCol }) };
  }
}


/**
 * An unquoted value that was interpolated reads as YAML again, so `port: ${env:PORT}` is a number. When the
 * value holds a secret, the number as it will be printed (`000731955028` → 731955028, `0x7fe3a91c` →
 * 2145626396) is a secret too: an error such as `got number 2145626396` must not show it.
 */
function reread(value: string, secret: boolean, yaml: YamlPackage | undefined): unknown {
  // Only a whole number, boolean or null literal: a secret such as `#x…` or `!x…` must stay text.
  if (!CORE_LITERAL.test(value.trim())) return value;
  let parsed: unknown;
  if (CORE_LITERAL.test(value)) {
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
