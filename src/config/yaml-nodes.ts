// The node shapes the Walker (./yaml.ts) reads, recognised by the yaml package's own identity symbols
// (node_modules/yaml/dist/nodes/identity.js), so one check covers the package's nodes and the plain-subset
// reader's (./plain-yaml.ts) without loading the package. The line counter is the package's LineCounter's.
import type { Alias } from 'yaml';

const NODE_TYPE = Symbol.for('yaml.node.type');
const ALIAS = Symbol.for('yaml.alias');
const MAP = Symbol.for('yaml.map');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');

export type Range = [number, number, number];
export interface ScalarNode { readonly value: unknown; readonly type?: string | undefined; readonly source?: string | undefined; readonly range?: Range | null | undefined }
export interface MapNode { readonly items: readonly { readonly key: unknown; readonly value: unknown }[]; readonly range?: Range | null | undefined }
export interface SeqNode { readonly items: readonly unknown[]; readonly range?: Range | null | undefined }

export interface PlainScalar extends ScalarNode { readonly [NODE_TYPE]: symbol; readonly value: unknown; readonly type: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE'; readonly source: string; readonly range: Range }
export interface PlainMap extends MapNode { readonly [NODE_TYPE]: symbol; readonly items: { readonly key: PlainScalar; readonly value: PlainBlock | PlainScalar }[]; readonly range: Range }
export interface PlainSeq extends SeqNode { readonly [NODE_TYPE]: symbol; readonly items: (PlainBlock | PlainScalar)[]; range: Range | undefined }
export type PlainBlock = PlainMap | PlainSeq;

// Classes with the identity symbol on their prototype, not object literals with it as a computed key: V8 builds
// such a literal property by property through its runtime, which was the reader's largest cost per scalar
// (docs/PERFORMANCE.md). `node[NODE_TYPE]` reads the prototype's value all the same.
class ScalarOfPlain implements PlainScalar {
  declare readonly [NODE_TYPE]: symbol;
  readonly value: unknown;
  readonly source: string;
  readonly type: PlainScalar['type'];
  readonly range: Range;
  constructor(value: unknown, source: string, type: PlainScalar['type'], range: Range) {
    this.value = value;
    this.source = source;
    this.type = type;
    this.range = range;
  }
}
class MapOfPlain implements PlainMap {
  declare readonly [NODE_TYPE]: symbol;
  readonly items: PlainMap['items'] = [];
  readonly range: Range;
  constructor(from: number) {
    this.range = [from, from, from];
  }
}
class SeqOfPlain implements PlainSeq {
  declare readonly [NODE_TYPE]: symbol;
  readonly items: PlainSeq['items'] = [];
  range: Range | undefined = undefined;
}
for (const [node, type] of [[ScalarOfPlain, SCALAR], [MapOfPlain, MAP], [SeqOfPlain, SEQ]] as const) Object.defineProperty(node.prototype, NODE_TYPE, { value: type });

export function plainScalar(value: unknown, source: string, type: PlainScalar['type'], range: Range): PlainScalar {
  return new ScalarOfPlain(value, source, type, range);
}

export function plainMap(from: number): PlainMap {
  return new MapOfPlain(from);
}

export function plainSeq(): PlainSeq {
  return new SeqOfPlain();
}

const typeOf = (node: unknown): unknown => (typeof node === 'object' && node !== null ? (node as { [NODE_TYPE]?: unknown })[NODE_TYPE] : undefined);
export const isAlias = (node: unknown): node is Alias => typeOf(node) === ALIAS;
export const isMap = (node: unknown): node is MapNode => typeOf(node) === MAP;
export const isSeq = (node: unknown): node is SeqNode => typeOf(node) === SEQ;
export const isScalar = (node: unknown): node is ScalarNode => typeOf(node) === SCALAR;

export interface LinePositions { linePos(offset: number): { line: number; col: number } }

/** The line starts of `text`, and `linePos` as the yaml package's LineCounter computes it from them. */
export function lineStartsOf(text: string): LinePositions {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return {
    linePos(offset: number) {
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! < offset) low = mid + 1;
        else high = mid;
      }
      if (starts[low] === offset) return { line: low + 1, col: 1 };
      if (low === 0) return { line: 0, col: offset };
      return { line: low, col: offset - starts[low - 1]! + 1 };
    },
  };
}
