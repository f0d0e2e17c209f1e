/** YAML 1.2 core schema: null, bool, int and float literals (what the yaml package resolves to other than text). */
export const CORE_LITERAL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const WORDS = new Map<string, null | boolean>([['~', null], ['null', null], ['Null', null], ['NULL', null], ['true', true], ['True', true],
  ['TRUE', true], ['false', false], ['False', false], ['FALSE', false]]);
const OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * A CORE_LITERAL's value as the yaml package's core schema resolves it (node_modules/yaml/dist/schema/core/):
 * ints by parseInt (no intAsBigInt), floats by parseFloat. Its tags match disjoint texts, so the common forms
 * (a decimal int, a word) are tried first.
 */
export function coreLiteral(source: string): null | boolean | number {
  if (INT.test(source)) return parseInt(source, 10);
  const word = WORDS.get(source);
  if (word !== undefined) return word;
  if (OCT.test(source)) return parseInt(source.substring(2), 8);
  if (HEX.test(source)) return parseInt(source.substring(2), 16);
  if (NAN_INF.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return parseFloat(source); // floatExp, float: what CORE_LITERAL leaves
}
