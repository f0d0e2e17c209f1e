// Shared pieces of the assertion parser: results that carry an offset, whitespace, quoted text.

/** A config-time error: what is wrong and the 0-based offset of the offending token in the text. */
export interface Failure {
  readonly ok: false;
  readonly message: string;
  readonly offset: number;
}

/** A parsed piece and the offset just after it. */
export type Step<T> = { readonly ok: true; readonly value: T; readonly end: number } | Failure;

export function fail(message: string, offset: number): Failure {
  return { ok: false, message, offset };
}

export function done<T>(value: T, end: number): Step<T> {
  return { ok: true, value, end };
}

export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r' };

/** `'text'` or `"text"` starting at `from` (the quote), with \" \' \\ \n \t \r escapes. */
export function readQuoted(text: string, from: number): Step<string> {
  const quote = text[from]!;
  let value = '';
  let i = from + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return done(value, i + 1);
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      // An unknown escape keeps its backslash, so `"a\.b"` means what it looks like.
      value += ESCAPES[next] ?? `\\${next}`;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return fail(`unterminated text: add the closing ${quote}`, from);
}

/** The next run of non-space characters, for quoting in messages. */
export function wordAt(text: string, from: number): string {
  const match = /\S+/y;
  match.lastIndex = from;
  return match.exec(text)?.[0] ?? '';
}
