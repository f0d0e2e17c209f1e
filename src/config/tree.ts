// A YAML document as plain values that remember where they were written.
import type { SourcePosition } from '../suite.ts';

export type PathKey = string | number;

export interface Entry {
  readonly keyAt: SourcePosition;
  readonly node: Node;
}

export type Node =
  | { readonly kind: 'map'; readonly at: SourcePosition; readonly entries: ReadonlyMap<string, Entry> }
  | { readonly kind: 'seq'; readonly at: SourcePosition; readonly items: readonly Node[] }
  | {
      readonly kind: 'scalar';
      readonly at: SourcePosition;
      readonly value: unknown;
      /** The column where the value's text starts, when the source maps 1:1 onto the value (offsets may be added). */
      readonly textCol?: number;
      /** Interpolation failed here; the error is already reported, so validation stays quiet about it. */
      readonly failed?: boolean;
      /** `validate --offline`: the value held an interpolation that was not resolved; its own checks are skipped. */
      readonly unresolved?: boolean;
    };

export type MapNode = Extract<Node, { kind: 'map' }>;

/** The value as JSON-like data, for validation. */
export function toPlain(node: Node): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  // forEach, not for…of: no [key, entry] array per entry (this runs over every node of the suite).
  node.entries.forEach((entry, key) => { out[key] = toPlain(entry.node); });
  return out;
}

/** The node at a path, or undefined where the path leaves what was written. */
export function nodeAt(root: Node, path: readonly PathKey[]): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node === undefined) return undefined;
    if (node.kind === 'map' && typeof key === 'string') node = node.entries.get(key)?.node;
    else if (node.kind === 'seq' && typeof key === 'number') node = node.items[key];
    else return undefined;
  }
  return node;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `probes[2].expect[0]`, `defaults.timeout`, `headers["x y"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
