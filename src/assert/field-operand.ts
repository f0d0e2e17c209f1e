// A field of the same observation as the OPERAND: `ready == desired`, `updated >= ready`. A bare name that
// is one of the probe type's fields reads as that field, never as text (text needs quotes anyway).
import type { FieldKinds, FieldKind } from '../probes/types.ts';
import type { Operator } from './ast.ts';
import { checkPath } from './fields.ts';
import { describeKind } from './fields.ts';
import type { LocatedOperand } from './operand.ts';
import { parsePath } from './path.ts';
import { done, fail, type Failure, type Step } from './scan.ts';

const WORDS = new Set(['true', 'false', 'null', 'baseline']);
const COMPARING: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>='];

/** The operand at `from` when it names a field of this probe type; undefined when it is no field (another operand, or an error there). */
export function parseFieldOperand(text: string, from: number, fields: FieldKinds): Step<LocatedOperand & { readonly fieldKind: FieldKind | undefined }> | undefined {
  const word = /[A-Za-z_][\w-]*/y;
  word.lastIndex = from;
  const first = word.exec(text)?.[0];
  if (first === undefined || WORDS.has(first)) return undefined;
  const path = parsePath(text, from);
  if (!path.ok) return undefined;
  const kind = checkPath(path.value, fields);
  if (!kind.ok) return undefined;
  const operand = { kind: 'field' as const, path: path.value.map((s) => s.segment), text: text.slice(from, path.end) };
  return done({ operand, offset: from, items: [], fieldKind: kind.kind }, path.end);
}

/** Why two fields cannot be compared this way, if they cannot. */
export function checkFieldOperand(op: Operator, path: string, kind: FieldKind | undefined, other: string, otherKind: FieldKind | undefined, offset: number): Failure | undefined {
  if (!COMPARING.includes(op)) return fail(`${op} needs a value, not the field "${other}"; a field compares with ==, !=, <, <=, > or >=`, offset);
  const known = (k: FieldKind | undefined): k is FieldKind => k !== undefined && k !== 'any';
  if (!known(kind) || !known(otherKind)) return undefined;
  if (['<', '<=', '>', '>='].includes(op) && (kind !== otherKind || (kind !== 'number' && kind !== 'duration'))) {
    return fail(`"${path}" is ${describeKind(kind)} and "${other}" is ${describeKind(otherKind)}: ${op} orders two numbers or two durations`, offset);
  }
  if (kind !== otherKind) return fail(`"${path}" is ${describeKind(kind)} and "${other}" is ${describeKind(otherKind)}: they can never be equal`, offset);
  return undefined;
}
