// Durations as users write them (`250ms`, `5s`, `1m30s`, `14d`) and as people read them.
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
/** Largest first: the only order a compound may use, each unit at most once. */
const UNITS = Object.keys(UNIT_MS) as Unit[];

const AMOUNT = '\\d+(?:\\.\\d+)?';
/**
 * The whole grammar, order and uniqueness included; it is also the JSON Schema's pattern, so no lookaround
 * (Go's RE2 has none): one alternative per largest unit, each followed by the smaller ones, all optional.
 */
export const DURATION_PATTERN = `^(?:${UNITS.map((unit, i) => `${AMOUNT}${unit}${UNITS.slice(i + 1).map((u) => `(?:${AMOUNT}${u})?`).join('')}`).join('|')})$`;
const WHOLE = new RegExp(DURATION_PATTERN);
const PARTS = new RegExp(`^(?:${AMOUNT}(?:ms|s|m|h|d))+$`);
const PART = new RegExp(`(${AMOUNT})(ms|s|m|h|d)`, 'g');

/** Why a text is not a duration: not made of amount+unit parts at all, a unit given twice, or units out of order. */
export type DurationProblem = { readonly kind: 'syntax' } | { readonly kind: 'repeated'; readonly unit: Unit } | { readonly kind: 'order' };

/** Milliseconds for a duration text, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as Unit];
  return Math.round(total);
}

/** What is wrong with a text that `parseDuration` refuses; undefined when it is a duration. */
export function durationProblem(text: string): DurationProblem | undefined {
  if (WHOLE.test(text)) return undefined;
  if (!PARTS.test(text)) return { kind: 'syntax' };
  const seen = new Set<Unit>();
  for (const [, , unit] of text.matchAll(PART)) {
    if (seen.has(unit as Unit)) return { kind: 'repeated', unit: unit as Unit };
    seen.add(unit as Unit);
  }
  return { kind: 'order' };
}

/** How a duration should look, given what is wrong; it follows "must be a duration". */
export function durationHint(problem: DurationProblem): string {
  if (problem.kind === 'repeated') return `with each unit at most once ("${problem.unit}" appears twice), e.g. 1m30s`;
  if (problem.kind === 'order') return `with its units largest first (${UNITS.join(', ')}), e.g. 1m30s`;
  return `(${DURATION_FORMS})`;
}

export const DURATION_FORMS = '250ms, 5s, 2m, 1h, 14d or compounds like 1m30s';

/** `35ms`, `1.2s`, `47s`, `2m`, `1m30s`, `3h5m`, `14d`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) {
    const s = Math.round(abs / 100) / 10;
    return s >= 60 ? `${sign}1m` : `${sign}${s}s`;
  }
  const totalS = Math.round(abs / 1000);
  const d = Math.floor(totalS / 86_400);
  const h = Math.floor((totalS % 86_400) / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (d > 0) return `${sign}${d}d${h ? `${h}h` : ''}`;
  if (h > 0) return `${sign}${h}h${m ? `${m}m` : ''}`;
  return `${sign}${m}m${s ? `${s}s` : ''}`;
}
