// One process-wide registry of secret values, fed by interpolation. Every writer (report, logs,
// record, sinks, termination message, error text) passes through `redact`, so none can forget it.
import { secretForms } from './secret-forms.ts';
import { maskUrlPasswords } from './url-password.ts';

const secrets = new Set<string>();
/** The values registered, before their forms: a suite names one password in many probes. */
const registered = new Set<string>();
let matcher: Matcher | null = null;

export const MASK = '***';

/**
 * Shorter values are not masked: masking `x` or `on` would rewrite every occurrence of those letters in
 * every output, and no credential is that short.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * A server may echo only the start of a value (Redis quotes 128 characters of an argument): this many
 * characters of a secret's start are masked wherever they appear, with as much of the rest as follows.
 */
export const SECRET_PREFIX_LENGTH = 16;

export function registerSecret(value: string): void {
  if (registered.has(value)) return;
  registered.add(value);
  // Trimmed too: an HTTP header value loses its surrounding whitespace on the wire, and a server
  // that echoes it back hands the trimmed form to the observation.
  const trimmed = value.trim();
  for (const text of trimmed === value ? [value] : [value, trimmed]) registerForms(text);
}

function registerForms(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  for (const form of secretForms(value)) {
    if (form.length >= MIN_SECRET_LENGTH && !secrets.has(form)) {
      secrets.add(form);
      matcher = null;
    }
  }
}

/** Finds a secret's whole text, or its first SECRET_PREFIX_LENGTH characters, and then as much of it as follows. */
interface Matcher {
  readonly pattern: RegExp;
  /** The secrets of SECRET_PREFIX_LENGTH characters or more, by their prefix. */
  readonly byPrefix: ReadonlyMap<string, readonly string[]>;
}

function secretMatcher(): Matcher | null {
  if (secrets.size === 0) return null;
  if (!matcher) {
    const byPrefix = new Map<string, string[]>();
    const heads = new Set<string>();
    for (const secret of secrets) {
      const head = secret.slice(0, SECRET_PREFIX_LENGTH);
      heads.add(head);
      if (secret.length >= SECRET_PREFIX_LENGTH) byPrefix.set(head, [...(byPrefix.get(head) ?? []), secret]);
    }
    const escaped = [...heads].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    matcher = { pattern: new RegExp(escaped.join('|'), 'g'), byPrefix };
  }
  return matcher;
}

/** The text with every registered secret (or a cut one's start) and every URL password replaced by `***`. */
export function redact(text: string): string {
  const found = secretMatcher();
  const masked = found ? maskSecrets(text, found) : text;
  // The URL scan looks at every `://`: most texts have none.
  return masked.includes('://') ? maskUrlPasswords(masked, MASK) : masked;
}

function maskSecrets(text: string, { pattern, byPrefix }: Matcher): string {
  pattern.lastIndex = 0;
  let out = '';
  let copied = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let end = m.index + m[0].length;
    for (const secret of byPrefix.get(m[0]) ?? []) end = Math.max(end, m.index + sharedLength(text, m.index, secret));
    out += text.slice(copied, m.index) + MASK;
    copied = end;
    pattern.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** How many characters of `secret` the text repeats from `at`. */
function sharedLength(text: string, at: number, secret: string): number {
  let n = 0;
  while (n < secret.length && text[at + n] === secret[n]) n++;
  return n;
}

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/**
 * A deep copy of a JSON-like value with every string redacted (keys included). Iterative: what a
 * target sent can nest deeper than the call stack goes.
 */
export function redactDeep<T>(value: T): T {
  const copies: [source: object, copy: Json[] | { [key: string]: Json }][] = [];
  const copy = (item: Json): Json => {
    if (typeof item === 'string') return redact(item);
    if (item === null || typeof item !== 'object') return item;
    const target: Json[] | { [key: string]: Json } = Array.isArray(item) ? [] : {};
    copies.push([item, target]);
    return target;
  };
  const root = copy(value as Json);
  for (let next = copies.pop(); next; next = copies.pop()) {
    const [source, target] = next;
    if (Array.isArray(target)) {
      for (const item of source as Json[]) target.push(copy(item));
    } else {
      // defineProperty: a key `__proto__` (JSON.parse makes it an own key) must stay a key, not set a prototype.
      for (const [key, item] of Object.entries(source)) Object.defineProperty(target, redact(key), { value: copy(item as Json), enumerable: true, writable: true, configurable: true });
    }
  }
  return root as T;
}

/** For tests only: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  registered.clear();
  matcher = null;
}
