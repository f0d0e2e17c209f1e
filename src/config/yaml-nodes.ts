// The node shapes the Walker (./yaml-walk.ts) reads, recognised by the yaml package's own identity symbols
// (node_modules/yaml/dist/nodes/identity.js), so the checks do not load the package. The line counter is the
// package's LineCounter's, for a file the plain-subset reader (./plain-yaml.ts) read.
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

const typeOf = (node: unknown): unknown => (typeof node === 'object' && node !== null ? (node as { [NODE_TYPE]?: unknown })[NODE_TYPE] : undefined);
export const isAlias = (node: unknown): node is Alias => typeOf(node) === ALIAS;
export const isMap = (node: unknown): node is MapNode => typeOf(node) === MAP;
export const isSeq = (node: unknown): node is SeqNode => typeOf(node) === SEQ;
export const isScalar = (node: unknown): node is ScalarNode => typeOf(node) === SCALAR;

export interface LinePositions { linePos(offset: number): { line: number; col: number } }

/**
 * `linePos` as the yaml package's LineCounter computes it, from the line starts of `text`. They are found at the
 * first call: a file the plain-subset reader read (it counts lines itself) needs them only for a warning.
 */
export function lineStartsOf(text: string): LinePositions {
  let starts: number[] | undefined;
  return {
    linePos(offset: number) {
      if (starts === undefined) {
        starts = [0];
        for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
      }
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
