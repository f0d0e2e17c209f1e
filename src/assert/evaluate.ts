// Evaluating a parsed assertion against one observation. A missing value fails every operator.
import type { Assertion, AssertionResult, Operand, Operator } from './ast.ts';
import type { FieldKinds, JsonValue, Observed } from '../probes/types.ts';
import { resolvePath } from './resolve.ts';
import { deepEqual, displayValue, kindOf } from './values.ts';
import { linearRegex } from './regex.ts';

/**
 * `matched`: the answer of a `matches` pattern already run under a bound (evaluate-all.ts); without it,
 * the pattern runs here (on V8's linear engine where it can).
 */
export function evaluate(assertion: Assertion, observed: Observed, fields: FieldKinds, matched?: boolean): AssertionResult {
  const value = resolvePath(observed, assertion.path);
  const operand = 'operand' in assertion && assertion.operand.kind === 'field' ? assertion.operand : undefined;
  return {
    expect: assertion.text.trim(),
    actual: displayValue(value, kindOf(assertion.path, fields)),
    passed: value !== undefined && holds(assertion, value, matched, observed),
    ...(operand ? { operandActual: displayValue(resolvePath(observed, operand.path), kindOf(operand.path, fields)) } : {}),
  };
}

/** `replication.lag = 47s (expected < 10s)`, `connected = false (expected true)`, `json.id = <missing> (expected == 7)` */
export function describeFailure(assertion: Assertion, result: AssertionResult): string {
  const other = result.operandActual === undefined ? '' : ` = ${result.operandActual}`;
  const expected = 'operand' in assertion ? `${assertion.op} ${operandText(assertion.operand)}${other}` : assertion.op;
  return `${assertion.pathText} = ${result.actual} (expected ${expected})`;
}

/** An operand as it reads in an assertion: `10s`, `"json"`, `/^2/i`, `[200, 204]`. */
export function operandText(operand: Operand): string {
  switch (operand.kind) {
    case 'number': return String(operand.value);
    case 'duration': return operand.text;
    case 'string': return JSON.stringify(operand.value);
    case 'boolean': return String(operand.value);
    case 'null': return 'null';
    case 'regex': return `/${operand.source}/${operand.flags}`;
    case 'list': return `[${operand.items.map(operandText).join(', ')}]`;
    case 'field': return operand.text;
  }
}

function holds(assertion: Assertion, value: JsonValue, matched: boolean | undefined, observed: Observed): boolean {
  if (!('operand' in assertion)) return assertion.op === 'true' ? value === true : value === false;
  const { op, operand } = assertion;
  if (operand.kind === 'field') return holdsBetweenFields(op, value, resolvePath(observed, operand.path));
  if (op === '!=') return !positive('==', value, operand, matched);
  if (op.startsWith('!')) return !positive(op.slice(1) as Operator, value, operand, matched);
  return positive(op, value, operand, matched);
}

function positive(op: Operator, value: JsonValue, operand: Operand, matched: boolean | undefined): boolean {
  switch (op) {
    case '==': return equalsOperand(value, operand);
    case '<': return compare(value, operand, (a, b) => a < b);
    case '<=': return compare(value, operand, (a, b) => a <= b);
    case '>': return compare(value, operand, (a, b) => a > b);
    case '>=': return compare(value, operand, (a, b) => a >= b);
    case 'contains': return contains(value, operand);
    case 'matches': return matches(value, operand, matched);
    case 'in': return operand.kind === 'list' && operand.items.some((item) => equalsOperand(value, item));
    default: throw new Error(`bug: ${op} is not a positive operator`);
  }
}

/** `ready == desired`: the other field's value in the same observation; a missing one fails, as a missing path does. */
function holdsBetweenFields(op: Operator, value: JsonValue, other: JsonValue | undefined): boolean {
  if (other === undefined) return false;
  const numbers = typeof value === 'number' && typeof other === 'number';
  switch (op) {
    case '==': return deepEqual(value, other);
    case '!=': return !deepEqual(value, other);
    case '<': return numbers && value < other;
    case '<=': return numbers && value <= other;
    case '>': return numbers && value > other;
    case '>=': return numbers && value >= other;
    default: return false; // refused at load time
  }
}

/** The JSON value an operand stands for; durations are milliseconds, a regex equals nothing. */
function operandValue(operand: Operand): JsonValue | undefined {
  switch (operand.kind) {
    case 'number': return operand.value;
    case 'duration': return operand.ms;
    case 'string': return operand.value;
    case 'boolean': return operand.value;
    case 'null': return null;
    case 'regex': return undefined;
    case 'field': return undefined; // compared by holdsBetweenFields
    case 'list': {
      const items = operand.items.map(operandValue);
      return items.every((item) => item !== undefined) ? (items as JsonValue[]) : undefined;
    }
  }
}

function equalsOperand(value: JsonValue, operand: Operand): boolean {
  const expected = operandValue(operand);
  return expected !== undefined && deepEqual(value, expected);
}

function compare(value: JsonValue, operand: Operand, order: (a: number, b: number) => boolean): boolean {
  const bound = operand.kind === 'number' ? operand.value : operand.kind === 'duration' ? operand.ms : undefined;
  return typeof value === 'number' && bound !== undefined && order(value, bound);
}

function contains(value: JsonValue, operand: Operand): boolean {
  if (typeof value === 'string') return operand.kind === 'string' && value.includes(operand.value);
  if (Array.isArray(value)) return value.some((item) => equalsOperand(item, operand));
  if (value !== null && typeof value === 'object') return operand.kind === 'string' && Object.hasOwn(value, operand.value);
  return false;
}

function matches(value: JsonValue, operand: Operand, matched: boolean | undefined): boolean {
  if (operand.kind !== 'regex' || (typeof value !== 'string' && typeof value !== 'number')) return false;
  if (matched !== undefined) return matched;
  // A fresh RegExp per test: with the g or y flag, `test` would otherwise carry lastIndex over.
  return (linearRegex(operand.source, operand.flags) ?? new RegExp(operand.source, operand.flags)).test(String(value));
}
