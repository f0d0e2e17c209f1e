// The block YAML that suites are written in, read in one pass over its lines: block mappings and lists,
// plain keys, single-line plain and quoted scalars, comments. It builds the positioned tree (./tree.ts) the
// yaml package's reading gives after the walk (./yaml-walk.ts), each value made by that walk's `scalar`, so
// interpolation and secrets are the same code; for anything else (flow collections, anchors, tags, block
// scalars, multi-line scalars, empty values, tabs, non-ASCII, duplicate keys, anything that may be an error)
// it returns undefined and the yaml package reads the file, errors and all. Why: the package's lexer, parser
// and composer were most of the time `validate` took (docs/PERFORMANCE.md); and no node of the package's
// shape is built in between: its tree outlived a few young-generation collections, each copying it.
import type { SourcePosition } from '../suite.ts';
import { CORE_LITERAL, coreLiteral } from './core-literal.ts';
import type { Entry, MapNode, Node, PathKey } from './tree.ts';

/** How the scalars are made into nodes: the walk's `scalar` (interpolation, secrets, `textCol`). */
export interface ScalarMaker {
  scalar(value: unknown, type: ScalarType, source: string, at: SourcePosition, path: readonly PathKey[]): Node;
}
export type ScalarType = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

/** A line with content: where its content starts, its indentation, where it ends, its number in the file. */
interface Line { readonly start: number; readonly indent: number; readonly end: number; readonly number: number }

const NOT_PLAIN = Symbol('not the plain subset');
const MAX_DEPTH = 64;
// Only printable ASCII and line feeds: no tabs, carriage returns, BOM or other characters YAML treats specially.
const OUTSIDE_SUBSET = /[^\n\x20-\x7e]/;
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
// A plain scalar may not start with an indicator (`-`, `?`, `:` only before a space); a leading `-` before text is plain.
const INDICATOR_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?: |$))/;

/**
 * The tree of `text` (written in `file`), its scalars made by `values`; undefined when the text is not in the
 * subset. What `values` threw (NEEDS_YAML) passes through. A text declined after some values were made has had
 * their secrets registered: the yaml package then reads the same values, so they are the ones it registers.
 */
export function readPlainBlockYaml(text: string, file: string, values: ScalarMaker): Node | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  const lines = contentLines(text);
  if (lines === undefined || lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  const reader = new Reader(text, file, lines, values);
  try {
    const root = reader.node(0, lines[0]!.start, 0);
    return reader.i === lines.length ? root : undefined;
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** Lines with content (not blank, not only a comment); undefined when a document marker is among them. */
function contentLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  let number = 1;
  for (let lineStart = 0; lineStart <= text.length; number++) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let start = lineStart;
    while (start < end && text.charCodeAt(start) === 32) start++;
    if (start < end && text[start] !== '#') {
      if (start === lineStart && (text.startsWith('---', start) || text.startsWith('...', start))) return undefined;
      lines.push({ start, indent: start - lineStart, end, number });
    }
    lineStart = end + 1;
  }
  return lines;
}

class Reader {
  i = 0;
  readonly #text: string;
  readonly #file: string;
  readonly #lines: readonly Line[];
  readonly #values: ScalarMaker;
  /** Where the node being read is: one stack for the whole reading (ScalarMaker reads it at once, never keeps it). */
  readonly #path: PathKey[] = [];

  constructor(text: string, file: string, lines: readonly Line[], values: ScalarMaker) {
    this.#text = text;
    this.#file = file;
    this.#lines = lines;
    this.#values = values;
  }

  /** The node starting at offset `from` of the current line, its column `indent`. */
  node(indent: number, from: number, depth: number): Node {
    if (depth > MAX_DEPTH) throw NOT_PLAIN;
    return this.#isItem(from, this.#lines[this.i]!.end) ? this.#seq(indent, depth) : this.#map(indent, from, depth);
  }

  /** The position of `offset` on the current line, as the yaml package's LineCounter gives it. */
  #at(offset: number): SourcePosition {
    const line = this.#lines[this.i]!;
    return { file: this.#file, line: line.number, col: offset - (line.start - line.indent) + 1 };
  }

  #seq(indent: number, depth: number): Node {
    const items: Node[] = [];
    const at = this.#at(this.#lines[this.i]!.start);
    const text = this.#text;
    const path = this.#path;
    for (let line = this.#lines[this.i]; line !== undefined; line = this.#lines[this.i]) {
      if (line.indent !== indent || !this.#isItem(line.start, line.end)) {
        if (line.indent > indent) throw NOT_PLAIN;
        break;
      }
      let c = line.start + 1;
      while (c < line.end && text.charCodeAt(c) === 32) c++;
      path.push(items.length);
      if (c === line.end || text[c] === '#') {
        this.i++;
        const next = this.#lines[this.i];
        if (next === undefined || next.indent <= indent) throw NOT_PLAIN; // an empty item: null
        items.push(this.node(next.indent, next.start, depth + 1));
      } else if (this.#isItem(c, line.end)) {
        throw NOT_PLAIN; // `- - x`
      } else if (this.#keyColon(c, line.end) >= 0) {
        items.push(this.#map(c - (line.start - line.indent), c, depth + 1));
      } else {
        items.push(this.#scalarLine(c, line.end, indent));
      }
      path.pop();
    }
    return { kind: 'seq', at, items };
  }

  #map(indent: number, from: number, depth: number): MapNode {
    const entries = new Map<string, Entry>();
    const at = this.#at(from);
    const text = this.#text;
    const path = this.#path;
    for (let keyFrom = from; ;) {
      const line = this.#lines[this.i]!;
      const colon = this.#keyColon(keyFrom, line.end);
      const name = text.slice(keyFrom, colon);
      if (colon < 0 || name.length > 1024 || !KEY.test(name) || CORE_LITERAL.test(name) || entries.has(name)) throw NOT_PLAIN;
      const keyAt = keyFrom === from ? at : this.#at(keyFrom);
      let v = colon + 1;
      while (v < line.end && text.charCodeAt(v) === 32) v++;
      let value: Node;
      path.push(name);
      if (v === line.end || text[v] === '#') {
        this.i++;
        const next = this.#lines[this.i];
        if (next !== undefined && next.indent > indent) value = this.node(next.indent, next.start, depth + 1);
        else if (next !== undefined && next.indent === indent && this.#isItem(next.start, next.end)) value = this.#seq(indent, depth + 1);
        else throw NOT_PLAIN; // an empty value: null
      } else {
        value = this.#scalarLine(v, line.end, indent);
      }
      path.pop();
      entries.set(name, { keyAt, node: value });
      const next = this.#lines[this.i];
      if (next === undefined || next.indent < indent) return { kind: 'map', at, entries };
      if (next.indent > indent || this.#isItem(next.start, next.end)) throw NOT_PLAIN;
      keyFrom = next.start;
    }
  }

  /** A scalar that is the rest of the current line; a deeper line after it would continue it (not read here). */
  #scalarLine(from: number, end: number, indent: number): Node {
    const next = this.#lines[this.i + 1];
    if (next !== undefined && next.indent > indent) throw NOT_PLAIN;
    const node = this.#scalar(from, end);
    this.i++;
    return node;
  }

  #scalar(from: number, end: number): Node {
    const text = this.#text;
    const quote = text[from];
    if (quote === "'" || quote === '"') {
      let close = from + 1;
      for (;;) {
        while (close < end && text[close] !== quote) close++;
        if (close >= end) throw NOT_PLAIN;
        if (quote === "'" && text[close + 1] === "'") close += 2;
        else break;
      }
      const inner = text.slice(from + 1, close);
      if (quote === '"' && inner.includes('\\')) throw NOT_PLAIN;
      let rest = close + 1;
      while (rest < end && text.charCodeAt(rest) === 32) rest++;
      if (rest < end && !(text[rest] === '#' && rest > close + 1)) throw NOT_PLAIN;
      const value = quote === "'" ? inner.replaceAll("''", "'") : inner;
      return this.#values.scalar(value, quote === "'" ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE', value, this.#at(from), this.#path);
    }
    let stop = this.#commentOr(from, end);
    while (stop > from && text.charCodeAt(stop - 1) === 32) stop--;
    const source = text.slice(from, stop);
    if (INDICATOR_START.test(source) || source.includes(': ') || source.endsWith(':')) throw NOT_PLAIN;
    return this.#values.scalar(CORE_LITERAL.test(source) ? coreLiteral(source) : source, 'PLAIN', source, this.#at(from), this.#path);
  }

  /** `-` then a space or the line's end: a list item. */
  #isItem(at: number, end: number): boolean {
    return this.#text[at] === '-' && (at + 1 === end || this.#text[at + 1] === ' ');
  }

  /** The `:` that ends a plain key on this line (before any comment), or -1. */
  #keyColon(from: number, end: number): number {
    const text = this.#text;
    if (INDICATOR_START.test(text.slice(from, Math.min(from + 2, end)))) return -1;
    for (let at = from; at < end; at++) {
      const c = text.charCodeAt(at);
      if (c === 35 && text.charCodeAt(at - 1) === 32) return -1; // ` #`
      if (c === 58 && (at + 1 === end || text.charCodeAt(at + 1) === 32)) return at;
    }
    return -1;
  }

  /** Where ` #` starts a comment between `from` and `end`, else `end`. */
  #commentOr(from: number, end: number): number {
    const text = this.#text;
    for (let at = from + 1; at < end; at++) if (text.charCodeAt(at) === 35 && text.charCodeAt(at - 1) === 32) return at - 1;
    return end;
  }
}
