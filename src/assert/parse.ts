// One `expect` line (docs/assertions.md), `PATH [OP OPERAND]`, parsed at config time. Nothing is evaluated as code.
import type { Assertion } from './ast.ts';
import type { FieldKinds } from '../probes/types.ts';
import { checkBaseline, parseBaseline } from './baseline.ts';
import { checkBare, checkOperand } from './checks.ts';
import { checkPath } from './fields.ts';
import { checkFieldOperand, parseFieldOperand } from './field-operand.ts';
import { parseOperand } from './operand.ts';
import { parseOperator } from './operator.ts';
import { parsePath } from './path.ts';
import { fail, skipSpaces, wordAt } from './scan.ts';

export type ParseResult =
  | { ok: true; assertion: Assertion }
  | { ok: false; message: string; offset: number /* 0-based char offset in text */ };

export function parseAssertion(text: string, fields: FieldKinds): ParseResult {
  const start = skipSpaces(text, 0);
  if (start >= text.length) return fail('empty assertion: write a field, e.g. "connected", or a comparison, e.g. "status == 200"', 0);
  const negated = text[start] === '!';
  const pathStart = negated ? skipSpaces(text, start + 1) : start;
  const path = parsePath(text, pathStart);
  if (!path.ok) return path;
  const segments = path.value;
  const pathText = text.slice(pathStart, path.end);
  const base = { text: text.trim(), path: segments.map((s) => s.segment), pathText };
  const kind = checkPath(segments, fields);
  if (!kind.ok) return kind;

  const opStart = skipSpaces(text, path.end);
  if (opStart >= text.length) {
    const bare = checkBare(pathText, kind.kind, pathStart);
    return bare ?? { ok: true, assertion: { ...base, op: negated ? 'false' : 'true' } };
  }
  const op = parseOperator(text, opStart);
  if (!op.ok) return op;
  if (negated) {
    return fail(`"!" before a path only checks that it is false; to negate a comparison use a negated operator (!=, !contains, !matches, !in)`, start);
  }
  const operandStart = skipSpaces(text, op.end);
  if (operandStart >= text.length) return fail(`missing value after ${op.value}`, operandStart);
  const baseline = parseBaseline(text, operandStart);
  const field = baseline ? undefined : parseFieldOperand(text, operandStart, fields);
  const operand = baseline ?? field ?? parseOperand(text, operandStart);
  if (!operand.ok) return operand;
  const rest = skipSpaces(text, operand.end);
  if (rest < text.length) {
    return fail(`unexpected "${wordAt(text, rest)}" after the value; one line holds one assertion (add another expect entry)`, rest);
  }
  if (baseline?.ok) {
    const problem = checkBaseline(op.value, pathText, kind.kind, baseline.value);
    return problem ?? { ok: true, assertion: { ...base, op: op.value, operand: baseline.value.operand, baseline: baseline.value.ref } };
  }
  const mismatch = field?.ok
    ? checkFieldOperand(op.value, pathText, kind.kind, field.value.operand.kind === 'field' ? field.value.operand.text : '', field.value.fieldKind, operandStart)
    : checkOperand(op.value, pathText, kind.kind, operand.value);
  if (mismatch !== undefined) return mismatch;
  return { ok: true, assertion: { ...base, op: op.value, operand: operand.value.operand } };
}
