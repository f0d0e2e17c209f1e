// The `baseline` operand (docs/store.md#baselines): `baseline`, `baseline * N`, `baseline + D`, `baseline - D`, meaning the same
// path's value in the last passing run of the suite and app. Parsed and kind-checked at load time; resolved to a
// plain operand before the run (src/run/baselines.ts), or the assertion is not evaluated.
import type { BaselineRef, Operand, Operator } from './ast.ts';
import type { FieldKind, JsonValue } from '../probes/types.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { describeKind } from './fields.ts';
import type { LocatedOperand } from './operand.ts';
import { done, fail, skipSpaces, type Failure, type Step } from './scan.ts';

export interface LocatedBaseline extends LocatedOperand {
  readonly ref: BaselineRef;
}

const WORD = /baseline(?![\w.[\]"'])/y;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const TOKEN = /[^\s,\]]+/y;
const COMPARING: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>='];
const ORDERING: readonly Operator[] = ['<', '<=', '>', '>='];

/** The baseline operand at `from`, or undefined when the operand there is not one. */
export function parseBaseline(text: string, from: number): Step<LocatedBaseline> | undefined {
  WORD.lastIndex = from;
  if (!WORD.test(text)) return undefined;
  const after = from + 'baseline'.length;
  const opAt = skipSpaces(text, after);
  const op = text[opAt];
  // A placeholder until resolved: never compared, since the run resolves or sets aside every baseline assertion.
  const placeholder = (ref: BaselineRef, end: number) => done<LocatedBaseline>({ operand: { kind: 'null' }, offset: from, items: [], ref }, end);
  if (op !== '*' && op !== '+' && op !== '-') return placeholder({}, after);
  const numberAt = skipSpaces(text, opAt + 1);
  TOKEN.lastIndex = numberAt;
  const token = TOKEN.exec(text)?.[0];
  if (token === undefined) return fail(`missing ${op === '*' ? 'a number' : 'a number or a duration'} after baseline ${op}`, numberAt);
  const end = numberAt + token.length;
  if (op === '*') {
    if (!NUMBER.test(token)) return fail(`baseline * needs a number, e.g. baseline * 2 or baseline * 0.9, not "${token}"`, numberAt);
    return placeholder({ scale: Number(token) }, end);
  }
  const sign = op === '-' ? -1 : 1;
  if (NUMBER.test(token)) return placeholder({ shift: { kind: 'number', value: sign * Number(token) }, shiftText: `${op} ${token}` }, end);
  const ms = parseDuration(token);
  if (ms === undefined) return fail(`baseline ${op} needs a number or a duration, e.g. baseline ${op} 5 or baseline ${op} 2s, not "${token}"`, numberAt);
  return placeholder({ shift: { kind: 'duration', ms: sign * ms, text: token }, shiftText: `${op} ${token}` }, end);
}

/** Load-time checks: the operator compares, and the field's kind can take what the baseline does to it. */
export function checkBaseline(op: Operator, path: string, kind: FieldKind | undefined, at: LocatedBaseline): Failure | undefined {
  const { ref, offset } = at;
  if (!COMPARING.includes(op)) return fail(`${op} cannot take baseline: compare with ==, !=, <, <=, > or >=`, offset);
  const field = kind === undefined || kind === 'any' ? undefined : `"${path}" is ${describeKind(kind)}`;
  const arithmetic = ref.scale !== undefined ? `baseline * ${ref.scale}` : ref.shiftText !== undefined ? `baseline ${ref.shiftText}` : undefined;
  if (field && arithmetic && kind !== 'number' && kind !== 'duration') return fail(`${field}, so ${arithmetic} cannot apply to it: only numbers and durations scale or shift`, offset);
  if (field && ORDERING.includes(op) && kind !== 'number' && kind !== 'duration') return fail(`${field}, so ${op} cannot order it`, offset);
  if (field && kind === 'object') return fail(`${field}: baseline compares numbers, durations, text, booleans and lists`, offset);
  if (ref.shift?.kind === 'duration' && kind !== 'duration') {
    return fail(`${field ?? `"${path}" is not a duration field`}, not a duration: baseline ${ref.shiftText} only shifts durations such as "duration"`, offset);
  }
  if (ref.shift?.kind === 'number' && kind === 'duration') return fail(`${field}: write baseline ${ref.shiftText}s or baseline ${ref.shiftText}ms`, offset);
  return undefined;
}

export type Resolved = { readonly ok: true; readonly operand: Operand; readonly value: JsonValue } | { readonly ok: false; readonly reason: string };

/** The operand a baseline stands for, given the baseline run's value at the path (undefined: missing there). */
export function resolveBaseline(ref: BaselineRef, op: Operator, kind: FieldKind | undefined, value: JsonValue | undefined, path: string): Resolved {
  if (value === undefined) return { ok: false, reason: `${path} is missing in the baseline run` };
  const numeric = ref.scale !== undefined || ref.shift !== undefined || ORDERING.includes(op);
  if (numeric && typeof value !== 'number') return { ok: false, reason: `${path} is not a number in the baseline run` };
  if (typeof value === 'number') {
    const shift = ref.shift === undefined ? 0 : ref.shift.kind === 'duration' ? ref.shift.ms : ref.shift.kind === 'number' ? ref.shift.value : 0;
    const n = value * (ref.scale ?? 1) + shift;
    const operand: Operand = kind === 'duration' ? { kind: 'duration', ms: n, text: formatDuration(n) } : { kind: 'number', value: n };
    return { ok: true, operand, value };
  }
  const operand = literal(value);
  return operand ? { ok: true, operand, value } : { ok: false, reason: `${path} is an object in the baseline run, which baseline does not compare` };
}

function literal(value: JsonValue): Operand | undefined {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (Array.isArray(value)) {
    const items = value.map(literal);
    return items.every((item) => item !== undefined && item.kind !== 'list') ? { kind: 'list', items: items as Operand[] } : undefined;
  }
  return undefined;
}
