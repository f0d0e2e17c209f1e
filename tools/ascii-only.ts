// A chunk of dist/ as ASCII (tools/build.ts). esbuild escapes every character beyond ASCII in the strings and
// names it prints (charset ascii), but not in the comments it keeps (zod's, undici's, syncproof's own), in
// regular expression literals (`/… \[truncated/`, nats' `/µs/`) or in tagged template literals, whose raw text
// a program can read. One such character makes V8 hold the whole chunk as a two-byte string: twice the
// memory, and Node's compile cache converts it to UTF-8 one character at a time to key the cache, at every
// start (docs/PERFORMANCE.md). In a comment, a string or a regular expression, `\uXXXX` for each UTF-16 unit
// means the same (in a regular expression with or without the `u` flag: a surrogate pair stays a pair); in a
// template literal or a name it would not, so there the rewrite is refused rather than guessed at. Where
// each character stands is read from TypeScript's parse of the chunk.
import ts from 'typescript';

/** Tokens whose text a `\uXXXX` escape would change: a template's raw text, a name. */
const UNSAFE = new Set([
  ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.Identifier, ts.SyntaxKind.PrivateIdentifier, ts.SyntaxKind.JsxText,
]);

/** The text with every character beyond ASCII escaped, or why it cannot be. */
export function asciiOnly(text: string, name = 'chunk.js'): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string } {
  if (!/[^\0-\x7f]/.test(text)) return { ok: true, text };
  const refused = (at: number, why: string) => ({ ok: false as const, error: `${why} at ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 4))}: not rewritten to ASCII` });
  // After a backslash (`/\é/`, an identity escape) the `\u` would read as an escaped backslash.
  const escaped = /\\[^\0-\x7f]/.exec(text);
  if (escaped) return refused(escaped.index, 'a character beyond ASCII after a backslash');
  // A line or paragraph separator ends a `//` comment, and a byte order mark is whitespace: escaped, neither would.
  const separator = /[\u2028\u2029\ufeff]/.exec(text);
  if (separator) return refused(separator.index, 'a line separator or byte order mark');
  const unsafe = unsafeRanges(text, name);
  for (const match of text.matchAll(/[^\0-\x7f]/g)) {
    if (unsafe.some(([start, end]) => match.index >= start && match.index < end)) return refused(match.index, 'a character beyond ASCII in a template literal or a name');
  }
  return { ok: true, text: text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) };
}

/** [start, end) of every token of an UNSAFE kind that holds a character beyond ASCII. */
function unsafeRanges(text: string, name: string): [number, number][] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (UNSAFE.has(node.kind)) {
      const start = node.getStart(file);
      if (/[^\0-\x7f]/.test(text.slice(start, node.end))) ranges.push([start, node.end]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return ranges;
}
