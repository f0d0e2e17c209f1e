// A chunk of dist/ as ASCII (tools/build.ts). esbuild escapes every character beyond ASCII in the strings and
// names it prints (charset ascii), but not in the comments it keeps (zod's, undici's, syncproof's own) or in
// regular expression literals (`/… \[truncated/`, nats' `/µs/`). One such character makes V8 hold the whole
// chunk as a two-byte string: twice the memory, and Node's compile cache converts it to UTF-8 one character
// at a time to key the cache, at every start (docs/PERFORMANCE.md). Each UTF-16 unit becomes `\uXXXX`, which
// means the same in a comment and in a regular expression, with or without the `u` flag (a surrogate pair
// stays a pair).

/** The text with every character beyond ASCII escaped, or why it cannot be. */
export function asciiOnly(text: string): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string } {
  if (!/[^\0-\x7f]/.test(text)) return { ok: true, text };
  // After a backslash (`/\é/`, an identity escape) the `\u` would read as an escaped backslash: not guessed at.
  const escaped = /\\[^\0-\x7f]/.exec(text);
  if (escaped) {
    return { ok: false, error: `a character beyond ASCII after a backslash (${JSON.stringify(text.slice(Math.max(0, escaped.index - 20), escaped.index + 4))}) cannot be escaped safely` };
  }
  return { ok: true, text: text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) };
}
