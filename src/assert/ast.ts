export type PathSegment = { readonly key: string } | { readonly index: number };

export type Operand =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'duration'; readonly ms: number; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string }
  | { readonly kind: 'list'; readonly items: readonly Operand[] }
  /** Another field of the same observation (`ready == desired`). */
  | { readonly kind: 'field'; readonly path: readonly PathSegment[]; readonly text: string };

export const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'contains', '!contains', 'matches', '!matches', 'in', '!in'] as const;
export type Operator = (typeof OPERATORS)[number];

/** One parsed `expect` line. `PATH` alone is `is true`, `!PATH` is `is false`. */
export type Assertion =
  | { readonly text: string; readonly path: readonly PathSegment[]; readonly pathText: string; readonly op: 'true' | 'false' }
  | { readonly text: string; readonly path: readonly PathSegment[]; readonly pathText: string; readonly op: Operator; readonly operand: Operand };

/** The result of one assertion against one observation; `actual` is in human units (`47s`, `<missing>`). */
export interface AssertionResult {
  readonly expect: string;
  readonly actual: string;
  readonly passed: boolean;
  /** When the operand is another field (`ready == desired`): that field's value, as `actual` is shown. */
  readonly operandActual?: string;
}
