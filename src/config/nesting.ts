// A bound on YAML nesting, checked with the streaming lexer before anything is built: the yaml
// package's parser holds every open collection, so 1 MiB of `[` took over 1 GB before it gave up.
import { Lexer } from 'yaml';

export const MAX_NESTING = 100;

/** The offset where `text` first nests deeper than MAX_NESTING, or undefined. */
export function tooDeep(text: string): number | undefined {
  let offset = 0;
  let flow = 0;
  // Block collections opened on one line (`- - - x`); deeper indentation costs characters per level.
  let indicators = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (token === '-' || token === '?' || token === ':')) indicators++;
    else if (token === '\n' || token === '\r\n') indicators = 0;
    if (flow + indicators > MAX_NESTING) return offset;
    offset += token.length;
  }
  return undefined;
}
