// A Prometheus API answer (https://prometheus.io/docs/prometheus/latest/querying/api/) as an observation.
import type { JsonValue, Observation, Observed } from '../types.ts';
import { oneLine } from '../../one-line.ts';

/** Series kept in `values` (the record keeps fewer); `series` counts them all. */
export const MAX_SERIES = 1000;
/** Samples kept per series of a range query, the latest ones. */
export const MAX_SAMPLES = 1000;

type Labels = { [name: string]: string };
interface Series { readonly labels: Labels; readonly value: number | null; readonly samples?: readonly number[] }

/** `"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`: Prometheus writes sample values as text. */
export function sampleValue(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  return text.trim() !== '' && !Number.isNaN(n) ? n : undefined;
}

/** The observation, or the one plain reason the answer gives none. */
export function readAnswer(status: number, body: string, where: string): Observation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, error: `HTTP ${status} from ${where} is not a Prometheus API answer (no JSON): check the url` };
  }
  const answer = isObject(parsed) ? parsed : {};
  if (answer.status === 'error') {
    const kind = typeof answer.errorType === 'string' ? `${answer.errorType}: ` : '';
    return { ok: false, error: `query error: ${kind}${typeof answer.error === 'string' ? oneLine(answer.error).slice(0, 300) : `HTTP ${status}`}` };
  }
  const data = isObject(answer.data) ? answer.data : undefined;
  if (answer.status !== 'success' || data === undefined || typeof data.resultType !== 'string') {
    return { ok: false, error: `HTTP ${status} from ${where} is not a Prometheus API answer (no status and data): check the url` };
  }
  const warnings = Array.isArray(answer.warnings) ? answer.warnings.filter((w): w is string => typeof w === 'string').map((w) => oneLine(w).slice(0, 300)) : [];
  const read = readResult(data.resultType, data.result);
  if (!read.ok) return read;
  const { series, count } = read;
  const value = single(data.resultType, series, count);
  const observed: Observed = {
    value,
    values: series.map((s) => ({ labels: s.labels, value: s.value, ...(s.samples ? { samples: [...s.samples] } : {}) })),
    series: count,
    resultType: data.resultType,
    warnings,
  };
  const notes = [
    ...(count === 0 ? ['the query returned no series'] : []),
    ...(count > 1 && data.resultType !== 'scalar' ? [`${count} series: value is null unless the query returns one (aggregate with sum, max…)`] : []),
    ...(count > series.length ? [`${count - series.length} series beyond the first ${MAX_SERIES} not kept`] : []),
    ...warnings.map((w) => `warning: ${w}`),
  ];
  return { ok: true, observed, summary: summary(value, count), ...(notes.length ? { notes } : {}) };
}

type ReadResult = { readonly ok: true; readonly series: Series[]; readonly count: number } | { readonly ok: false; readonly error: string };

function readResult(resultType: string, result: unknown): ReadResult {
  if (resultType === 'scalar') {
    const value = Array.isArray(result) ? sampleValue(result[1]) : undefined;
    return value === undefined ? notNumeric('a scalar without a number') : { ok: true, series: [{ labels: {}, value }], count: 1 };
  }
  if (resultType === 'string') return notNumeric(`a string${Array.isArray(result) && typeof result[1] === 'string' ? ` (${JSON.stringify(result[1].slice(0, 40))})` : ''}`);
  if ((resultType !== 'vector' && resultType !== 'matrix') || !Array.isArray(result)) return notNumeric(`of type ${JSON.stringify(resultType.slice(0, 20))}`);
  const series: Series[] = [];
  for (const item of result.slice(0, MAX_SERIES)) {
    if (!isObject(item)) return notNumeric('a series that is not an object');
    const labels = labelsOf(item.metric);
    if (resultType === 'vector') {
      const value = Array.isArray(item.value) ? sampleValue(item.value[1]) : undefined;
      // A native histogram sample (`histogram`) has no one number.
      if (value === undefined) return notNumeric(item.histogram !== undefined ? 'a native histogram, not a number (use histogram_quantile or histogram_count)' : 'a sample that is not a number');
      series.push({ labels, value });
    } else {
      const points = Array.isArray(item.values) ? item.values : [];
      const samples = points.slice(-MAX_SAMPLES).map((p) => (Array.isArray(p) ? sampleValue(p[1]) : undefined));
      if (samples.some((v) => v === undefined)) return notNumeric('a sample that is not a number');
      series.push({ labels, value: (samples.at(-1) as number | undefined) ?? null, samples: samples as number[] });
    }
  }
  return { ok: true, series, count: result.length };
}

/** The one sample of a scalar or of a one-series result; null when there is none or more than one. */
function single(resultType: string, series: readonly Series[], count: number): JsonValue {
  if (count !== 1 && resultType !== 'scalar') return null;
  return series[0]?.value ?? null;
}

function summary(value: JsonValue, count: number): string {
  if (count === 0) return 'no series';
  if (count > 1) return `${count} series`;
  return `value ${formatSample(value)}`;
}

/** Numbers as Prometheus prints them: `+Inf`, `-Inf`, `NaN`. */
export function formatSample(value: JsonValue): string {
  if (typeof value !== 'number') return String(value);
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelsOf(metric: unknown): Labels {
  const labels: Labels = {};
  if (!isObject(metric)) return labels;
  for (const [name, value] of Object.entries(metric)) if (typeof value === 'string') labels[name] = value;
  return labels;
}

function notNumeric(what: string): { ok: false; error: string } {
  return { ok: false, error: `the query's result is ${what}; compare numbers: wrap it in an aggregation or a numeric function` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

