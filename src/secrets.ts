// One process-wide registry of secret values, fed by interpolation. Every writer (report, logs,
// record, sinks, termination message, error text) passes through `redact`, so none can forget it.
const secrets = new Set<string>();
let pattern: RegExp | null = null;

export const MASK = '***';
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;

/**
 * Shorter values are not masked: masking `x` or `on` would rewrite every occurrence of those letters in
 * every output, and no credential is that short.
 */
export const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string): void {
  // Trimmed too: an HTTP header value loses its surrounding whitespace on the wire, and a server
  // that echoes it back hands the trimmed form to the observation.
  const trimmed = value.trim();
  for (const text of trimmed === value ? [value] : [value, trimmed]) registerForms(text);
}

function registerForms(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  // The forms a value takes when it travels inside a URL or a JSON string, too.
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
    if (!secrets.has(form)) {
      secrets.add(form);
      pattern = null;
    }
  }
}

function secretPattern(): RegExp | null {
  if (secrets.size === 0) return null;
  if (!pattern) {
    const escaped = [...secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(escaped.join('|'), 'g');
  }
  return pattern;
}

/** The text with every registered secret and every URL password replaced by `***`. */
export function redact(text: string): string {
  const re = secretPattern();
  const masked = re ? text.replace(re, MASK) : text;
  // The URL pattern is tried at every word boundary: most of a long body's redaction time without this check.
  return masked.includes('://') ? masked.replace(URL_PASSWORD, `$1${MASK}@`) : masked;
}

/** A deep copy of a JSON-like value with every string redacted (keys included). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}

/** For tests only: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  pattern = null;
}
