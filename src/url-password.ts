// URL passwords in free text (`postgres://app:PASSWORD@db/x`), found in one pass. The obvious regex,
// /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:[^\s@/]+@/gi, retries the scheme at every word boundary of a dotted
// run, which is quadratic: a 1 MiB body of `a.a.a…` with one `://` held a run for minutes.

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
const WORD_CHAR = /\w/;
const SPACE = /\s/;

/** The text with the password of every `scheme://user:password@` replaced by `mask`, as the regex above would. */
export function maskUrlPasswords(text: string, mask: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  for (let sep = text.indexOf('://', from); sep >= 0; sep = text.indexOf('://', from)) {
    from = sep + 3;
    if (schemeStart(text, sep) < 0) continue;
    const password = passwordAt(text, sep + 3);
    if (!password) continue;
    out += text.slice(copied, password.start) + mask;
    copied = password.end;
    from = password.end + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where the leftmost scheme ending at `sep` starts (a letter at a word boundary), or -1. */
function schemeStart(text: string, sep: number): number {
  let start = sep;
  while (start > 0 && SCHEME_CHAR.test(text[start - 1]!)) start--;
  for (let p = start; p < sep; p++) {
    if (LETTER.test(text[p]!) && (p === 0 || !WORD_CHAR.test(text[p - 1]!))) return p;
  }
  return -1;
}

/** After `://`: a user without `:/@` or space, `:`, then a non-empty password without `@/` or space, then `@`. */
function passwordAt(text: string, at: number): { start: number; end: number } | undefined {
  let i = at;
  while (i < text.length && !SPACE.test(text[i]!) && !':/@'.includes(text[i]!)) i++;
  if (text[i] !== ':') return undefined;
  const start = i + 1;
  let end = start;
  while (end < text.length && !SPACE.test(text[end]!) && text[end] !== '@' && text[end] !== '/') end++;
  return end > start && text[end] === '@' ? { start, end } : undefined;
}
