// OP of an assertion (docs/assertions.md), with a hint for the operators people bring from other languages.
import { OPERATORS, type Operator } from './ast.ts';
import { didYouMean } from '../suggest.ts';
import { done, fail, wordAt, type Step } from './scan.ts';

const WORD = /!?[A-Za-z_]\w*/y;
const SYMBOLS = /[=!<>~]+/y;

const FAMILIAR: Readonly<Record<string, Operator>> = {
  '=': '==', '===': '==', '!==': '!=', '<>': '!=', '=>': '>=', '=<': '<=',
  '=~': 'matches', '~=': 'matches', '~': 'matches', '!~': '!matches',
  is: '==', eq: '==', equals: '==', ne: '!=', not: '!=', isnot: '!=',
  lt: '<', le: '<=', gt: '>', ge: '>=', has: 'contains', includes: 'contains', like: 'matches',
};

export const OPERATOR_LIST = OPERATORS.join(' ');

function isOperator(token: string): token is Operator {
  return (OPERATORS as readonly string[]).includes(token);
}

export function parseOperator(text: string, from: number): Step<Operator> {
  WORD.lastIndex = from;
  SYMBOLS.lastIndex = from;
  const token = WORD.exec(text)?.[0] ?? SYMBOLS.exec(text)?.[0];
  if (token !== undefined && isOperator(token)) return done(token, from + token.length);
  const shown = token ?? wordAt(text, from);
  const familiar = FAMILIAR[shown.toLowerCase()];
  const hint = familiar !== undefined ? ` (did you mean "${familiar}"?)` : didYouMean(shown, OPERATORS);
  const what = token === undefined ? `expected an operator, found "${shown}"` : `unknown operator "${shown}"`;
  return fail(`${what}${hint}; use one of: ${OPERATOR_LIST}`, from);
}
