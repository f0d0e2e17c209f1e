// Config-time checks that an operator, its operand and the field's kind make sense together.
import type { Operand, Operator } from './ast.ts';
import type { FieldKind } from '../probes/types.ts';
import type { LocatedOperand } from './operand.ts';
import { describeKind } from './fields.ts';
import { fail, type Failure } from './scan.ts';

const ORDERING: readonly Operator[] = ['<', '<=', '>', '>='];
const EQUALITY: readonly Operator[] = ['==', '!=', 'in', '!in'];

/** Why `PATH` alone (or `!PATH`) cannot work on this field, if it cannot. */
export function checkBare(path: string, kind: FieldKind | undefined, offset: number): Failure | undefined {
  if (kind === undefined || kind === 'any' || kind === 'boolean') return undefined;
  return fail(`"${path}" is ${describeKind(kind)}, but a path alone checks that it is true; compare it instead, e.g. "${path} == …"`, offset);
}

export function checkOperand(op: Operator, path: string, kind: FieldKind | undefined, at: LocatedOperand): Failure | undefined {
  return checkOperator(op, at) ?? checkKind(op, path, kind, at);
}

function checkOperator(op: Operator, at: LocatedOperand): Failure | undefined {
  const { operand, offset } = at;
  const bare = op.replace(/^!(?!=)/, '');
  if (ORDERING.includes(op) && operand.kind !== 'number' && operand.kind !== 'duration') {
    return fail(`${op} needs a number or a duration, e.g. "status < 400" or "duration < 2s"`, offset);
  }
  if (bare === 'matches' && operand.kind !== 'regex') {
    const hint = operand.kind === 'string' ? `; write /${operand.value}/ for a pattern, or use contains for plain text` : '';
    return fail(`${op} needs a /regex/, e.g. ${op} /^2\\d\\d$/${hint}`, offset);
  }
  if (bare === 'in' && operand.kind !== 'list') {
    return fail(`${op} needs a list, e.g. ${op} [200, 204]`, offset);
  }
  if (bare !== 'matches') {
    const regex = [at, ...at.items].find((item) => item.operand.kind === 'regex');
    if (regex !== undefined) return fail(`a /regex/ only works with matches or !matches, not ${op}`, regex.offset);
  }
  return undefined;
}

function checkKind(op: Operator, path: string, kind: FieldKind | undefined, at: LocatedOperand): Failure | undefined {
  if (kind === undefined || kind === 'any') return undefined;
  const field = `"${path}" is ${describeKind(kind)}`;
  const bare = op.replace(/^!(?!=)/, '');
  if (ORDERING.includes(op) && kind !== 'number' && kind !== 'duration') {
    const length = kind === 'list' || kind === 'string' ? `; compare its length instead: "${path}.length ${op} …"` : '';
    return fail(`${field}, so ${op} cannot order it${length}`, at.offset);
  }
  if (bare === 'contains' && !['string', 'list', 'object'].includes(kind)) {
    return fail(`${field}; ${op} works on text, lists and objects`, at.offset);
  }
  if (bare === 'contains' && kind !== 'list' && at.operand.kind !== 'string') {
    return fail(`${field}; ${op} on it needs 'text'${quoteHint(at.operand)}`, at.offset);
  }
  if (bare === 'matches' && kind !== 'string' && kind !== 'number') {
    return fail(`${field}; ${op} works on text and numbers`, at.offset);
  }
  const duration = [at, ...at.items].find((item) => item.operand.kind === 'duration');
  if (kind !== 'duration' && duration?.operand.kind === 'duration') {
    return fail(`${field}, not a duration: ${duration.operand.text} only compares with durations such as "duration"`, duration.offset);
  }
  const compared = op === 'in' || op === '!in' ? at.items : [at];
  for (const item of EQUALITY.includes(op) || ORDERING.includes(op) ? compared : []) {
    const problem = mismatch(kind, item.operand, path);
    if (problem !== undefined) return fail(`${field}: ${problem}`, item.offset);
  }
  return undefined;
}

/** Why an operand can never compare with a field of this kind, if so. `null` compares with anything. */
function mismatch(kind: FieldKind, operand: Operand, path: string): string | undefined {
  if (operand.kind === 'null') return undefined;
  if (kind === 'duration') {
    if (operand.kind === 'number') return `write ${unitsFor(path).map((unit) => `${operand.value}${unit}`).join(' or ')}`;
    if (operand.kind !== 'duration') return 'compare it with a duration like 10s or 250ms';
    return undefined;
  }
  if (kind === 'number' && operand.kind !== 'number') return `compare it with a number${numberHint(operand)}`;
  if (kind === 'string' && operand.kind !== 'string') return `compare it with 'text'${quoteHint(operand)}`;
  if (kind === 'boolean' && operand.kind !== 'boolean') return 'compare it with true or false';
  return undefined;
}

/** The units a bare number against this duration most likely meant: a certificate's lifetime is days, a lag seconds. */
function unitsFor(path: string): readonly string[] {
  return /(^|\.)expiresIn$/.test(path) ? ['d', 'h'] : ['s', 'ms'];
}

function numberHint(operand: Operand): string {
  return operand.kind === 'string' && /^-?\d+(\.\d+)?$/.test(operand.value) ? `: write ${operand.value} without quotes` : '';
}

function quoteHint(operand: Operand): string {
  return operand.kind === 'number' || operand.kind === 'boolean' ? `: write "${operand.value}"` : '';
}
