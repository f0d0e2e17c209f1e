// One YAML file to a positioned tree: syntax errors with positions, interpolation, secrets registered.
// The yaml package is a parameter, not an import: a file the plain-subset reader reads never loads it.
import type { Composer, Document, LineCounter } from 'yaml';
import { MIN_SECRET_LENGTH } from '../secrets.ts';
import { configError } from './errors.ts';
import { withFlowHints } from './flow-hint.ts';
import { MAX_NESTING, NestingBound } from './nesting.ts';
import { readPlainBlockYaml } from './plain-yaml.ts';
import type { Node } from './tree.ts';
import { lineStartsOf, type LinePositions } from './yaml-nodes.ts';
import type { ConfigError, SourcePosition } from '../suite.ts';
import { NEEDS_YAML, Walker, type ParseOptions, type YamlPackage } from './yaml-walk.ts';

export type { ParseOptions, YamlPackage };

const MAX_ALIAS_COUNT = 100;

export interface ParsedFile {
  /** Absent when the file could not be read as YAML at all. */
  readonly root?: Node;
  readonly errors: readonly ConfigError[];
  /** Not errors: the suite loads, but something in it will not show as the user expects. */
  readonly warnings?: readonly ConfigError[];
}

/** The plain-subset reader's reading (./plain-yaml.ts), without the yaml package; undefined when the file needs it. */
export function parsePlainYamlFile(file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions = {}): ParsedFile | undefined {
  const at = positionsIn(file, lineStartsOf(text));
  const walker = new Walker(file, undefined, at, env, options, undefined);
  try {
    const root = readPlainBlockYaml(text, file, walker);
    if (root === undefined) return undefined;
    return { root, errors: walker.errors, warnings: secretsInText(text, walker.secrets, at) };
  } catch (error) {
    if (error === NEEDS_YAML) return undefined;
    throw error;
  }
}

/** The yaml package's reading, for a file the plain-subset reader declines (loadSuite tries that first); a test compares the two. */
export function parseYamlFile(yaml: YamlPackage, file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions = {}): ParsedFile {
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

function walk(file: string, text: string, env: NodeJS.ProcessEnv, options: ParseOptions, contents: unknown, doc: Document, lines: LinePositions, yaml: YamlPackage): ParsedFile {
  const at = positionsIn(file, lines);
  const walker = new Walker(file, doc, at, env, options, yaml);
  const root = walker.node(contents, [], at(0), new Set());
  return { root, errors: walker.errors, warnings: secretsInText(text, walker.secrets, at) };
}

/** An offset's position in `file`. Not `{ file, ...linePos }`: a spread copies property by property at run time. */
function positionsIn(file: string, lines: LinePositions): (offset: number) => SourcePosition {
  return (offset) => {
    const { line, col } = lines.linePos(offset);
    return { file, line, col };
  };
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
