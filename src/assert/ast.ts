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
  | { readonly text: string; readonly path: readonly PathSegment[]; readonly pathText: string; readonly op: Operator; readonly operand: Operand; readonly baseline?: BaselineRef };

/**
 * `baseline`, `baseline * N`, `baseline + D`, `baseline - D` (src/assert/baseline.ts). An assertion that has one
 * holds a placeholder operand until src/run/baselines.ts resolves it from the store, or sets it aside.
 */
export interface BaselineRef {
  readonly scale?: number;
  /** A signed number or duration (ms) added to the baseline. */
  readonly shift?: Operand;
  /** `- 5`, `+ 2s`: the shift as written. */
  readonly shiftText?: string;
}

/** The result of one assertion against one observation; `actual` is in human units (`47s`, `<missing>`). */
export interface AssertionResult {
  readonly expect: string;
  readonly actual: string;
  readonly passed: boolean;
  /** When the operand is another field (`ready == desired`): that field's value, as `actual` is shown. */
  readonly operandActual?: string;
  /** The baseline value compared with, for a `baseline` operand (src/run/evidence.ts). */
  readonly baseline?: string;
}
