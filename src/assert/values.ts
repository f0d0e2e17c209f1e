// Values as people read them (a duration prints as `47s`) and the kinds that give them their unit.
import type { PathSegment } from './ast.ts';
import type { FieldKind, FieldKinds, JsonValue } from '../probes/types.ts';
import { formatDuration } from '../duration.ts';
import { declaredKind, withDuration } from './fields.ts';
import { redact } from '../secrets.ts';

export const MISSING = '<missing>';
const MAX_WIDTH = 80;

/** Durations via formatDuration; strings JSON-quoted; undefined → `<missing>`; long values cut at ~80 chars. */
export function displayValue(value: JsonValue | undefined, kind: FieldKind | undefined): string {
  if (value === undefined) return MISSING;
  if (kind === 'duration' && typeof value === 'number') return formatDuration(value);
  // Redacted before cutting: a cut secret would no longer match its mask.
  if (typeof value === 'string') return quoteShort(redact(value));
  if (value === null || typeof value !== 'object') return String(value);
  const parts: string[] = [];
  compact(value, parts, { length: 0 });
  const text = parts.join('');
  return text.length <= MAX_WIDTH ? text : `${text.slice(0, MAX_WIDTH - 1)}…`;
}

function quoteShort(value: string): string {
  const whole = JSON.stringify(value.slice(0, MAX_WIDTH + 1));
  if (value.length <= MAX_WIDTH && whole.length <= MAX_WIDTH) return whole;
  let keep = Math.min(value.length, MAX_WIDTH);
  while (keep > 0 && JSON.stringify(value.slice(0, keep)).length > MAX_WIDTH - 1) keep--;
  return `${JSON.stringify(value.slice(0, keep)).slice(0, -1)}…"`;
}

/**
 * JSON with `, ` and `: `, redacted as it is written, stopping once it is longer than can be shown (bodies
 * can be large). Each level writes a bracket first, so the recursion ends within MAX_WIDTH levels however
 * deep the value nests.
 */
function compact(value: JsonValue, parts: string[], written: { length: number }): void {
  const push = (text: string): void => {
    parts.push(text);
    written.length += text.length;
  };
  if (written.length > MAX_WIDTH) return;
  if (value === null || typeof value !== 'object') {
    push(typeof value === 'string' ? JSON.stringify(redact(value).slice(0, MAX_WIDTH + 1)) : String(value));
    return;
  }
  push(Array.isArray(value) ? '[' : '{');
  let i = 0;
  // for…in, not entries(): an object of 85,000 keys shows its first few without listing them all.
  for (const key in value) {
    if (written.length > MAX_WIDTH) return;
    if (i++ > 0) push(', ');
    if (!Array.isArray(value)) push(`${JSON.stringify(redact(key))}: `);
    compact((value as { [key: string]: JsonValue })[key]!, parts, written);
  }
  push(Array.isArray(value) ? ']' : '}');
}

/**
 * The kind of the field a path reads, by its dotted names with indexes ignored (`json.items[0].id`
 * reads below `json`): `any` below an `any` field, `number` for `.length` of a list or text,
 * `duration` for `duration`, undefined when the probe type does not list it.
 */
export function kindOf(path: readonly PathSegment[], fieldKinds: FieldKinds): FieldKind | undefined {
  const fields = withDuration(fieldKinds);
  let dotted: string | undefined;
  let kind: FieldKind | undefined;
  for (const segment of path) {
    if (kind === 'any') return 'any';
    if ('index' in segment) continue;
    const next = dotted === undefined ? segment.key : `${dotted}.${segment.key}`;
    const nextKind = declaredKind(next, fields);
    if (nextKind === undefined && segment.key === 'length' && (kind === 'list' || kind === 'string')) {
      kind = 'number';
    } else if (nextKind === undefined) {
      return undefined;
    } else {
      kind = nextKind;
    }
    dotted = next;
  }
  return kind;
}

/**
 * Equality of JSON values, element by element and key by key. Recursive, but only as deep as both values
 * are objects: one side is an assertion's operand, which the suite's nesting limit (100 levels) bounds.
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]!));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length
    && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key]!, b[key]!));
}
