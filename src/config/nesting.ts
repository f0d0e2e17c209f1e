// A bound on YAML nesting, checked on the lexer's tokens as they are read, before the parser sees them:
// the yaml package's parser holds every open collection, so 1 MiB of `[` took over 1 GB before it gave up.
export const MAX_NESTING = 100;

/** Counts the open collections token by token; `exceeds` is true at the first token that nests too deep. */
export class NestingBound {
  #flow = 0;
  // Block collections opened on one line (`- - - x`); deeper indentation costs characters per level.
  #indicators = 0;

  exceeds(token: string): boolean {
    if (token === '[' || token === '{') this.#flow++;
    else if (token === ']' || token === '}') this.#flow = Math.max(0, this.#flow - 1);
    else if (this.#flow === 0 && (token === '-' || token === '?' || token === ':')) this.#indicators++;
    else if (token === '\n' || token === '\r\n') this.#indicators = 0;
    return this.#flow + this.#indicators > MAX_NESTING;
  }
}
