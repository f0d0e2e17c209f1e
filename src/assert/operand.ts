// OPERAND of an assertion (docs/assertions.md): number, duration, 'text', "text", true, false, null, /regex/flags, [a, b, …].
import type { Operand } from './ast.ts';
import { DURATION_FORMS, durationHint, durationProblem, parseDuration } from '../duration.ts';
import { done, fail, readQuoted, skipSpaces, type Step } from './scan.ts';

/** An operand with where it was written, so later checks can point at it (list items too). */
export interface LocatedOperand {
  readonly operand: Operand;
  readonly offset: number;
  readonly items: readonly LocatedOperand[];
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const BARE_TOKEN = /[^\s,\]]+/y;

export function parseOperand(text: string, from: number): Step<LocatedOperand> {
  if (from >= text.length) return fail('missing value after the operator', from);
  const c = text[from]!;
  if (c === '"' || c === "'") {
    const quoted = readQuoted(text, from);
    return quoted.ok ? done(located({ kind: 'string', value: quoted.value }, from), quoted.end) : quoted;
  }
  if (c === '/') return parseRegex(text, from);
  if (c === '[') return parseList(text, from);
  BARE_TOKEN.lastIndex = from;
  const token = BARE_TOKEN.exec(text)?.[0];
  if (token === undefined) return fail(`expected a value, found "${c}"`, from);
  const operand = bareOperand(token);
  return typeof operand === 'string' ? fail(operand, from) : done(located(operand, from), from + token.length);
}

function located(operand: Operand, offset: number, items: readonly LocatedOperand[] = []): LocatedOperand {
  return { operand, offset, items };
}

/** The operand a bare token stands for, or why it is none. */
function bareOperand(token: string): Operand | string {
  if (NUMBER.test(token)) return { kind: 'number', value: Number(token) };
  const ms = parseDuration(token);
  if (ms !== undefined) return { kind: 'duration', ms, text: token };
  if (token === 'true' || token === 'false') return { kind: 'boolean', value: token === 'true' };
  if (token === 'null') return { kind: 'null' };
  if (/^-?\d/.test(token)) {
    const problem = durationProblem(token);
    if (problem !== undefined && problem.kind !== 'syntax') return `"${token}" is not a duration: write it ${durationHint(problem)}`;
    return `"${token}" is neither a number nor a duration (durations look like ${DURATION_FORMS})`;
  }
  return `unexpected "${token}": text needs quotes, e.g. "${token}"; other values are numbers, durations, true, false, null, /regex/ or [lists]`;
}

function parseRegex(text: string, from: number): Step<LocatedOperand> {
  let i = from + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    i++;
  }
  if (i >= text.length) return fail('unterminated regex: add the closing /', from);
  const source = text.slice(from + 1, i);
  if (source === '') return fail('empty regex: write a pattern between the slashes, e.g. /^ok$/', from);
  const flagsMatch = /[A-Za-z]*/y;
  flagsMatch.lastIndex = i + 1;
  const flags = flagsMatch.exec(text)![0];
  try {
    new RegExp(source, flags);
  } catch (error) {
    // V8 says `Invalid regular expression: /(/: Unterminated group`; keep the reason, show the regex once.
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return fail(`invalid regex /${source}/${flags}: ${reason}`, from);
  }
  return done(located({ kind: 'regex', source, flags }, from), i + 1 + flags.length);
}

function parseList(text: string, from: number): Step<LocatedOperand> {
  const items: LocatedOperand[] = [];
  let i = skipSpaces(text, from + 1);
  while (text[i] !== ']') {
    if (i >= text.length) return fail('unterminated list: add the closing ]', from);
    const item = parseOperand(text, i);
    if (!item.ok) return item;
    items.push(item.value);
    i = skipSpaces(text, item.end);
    if (text[i] === ',') i = skipSpaces(text, i + 1);
    else if (i < text.length && text[i] !== ']') return fail(`expected "," or "]" in the list, found "${text[i]}"`, i);
  }
  const operand: Operand = { kind: 'list', items: items.map((item) => item.operand) };
  return done(located(operand, from, items), i + 1);
}
