// What holds between probes and inside them beyond their schemas: unique names, `after`, `expect`, timing.
import { parseAssertion } from '../assert/parse.ts';
import type { Assertion } from '../assert/ast.ts';
import type { ProbeType } from '../probes/types.ts';
import { formatDuration } from '../duration.ts';
import { didYouMean } from '../suggest.ts';
import { configError } from './errors.ts';
import { formatPath, type Node, type PathKey } from './tree.ts';
import type { ConfigError, SourcePosition, Timing } from '../suite.ts';

/** A probe as written, before the suite is assembled; `valid` is its schema's output when it passed. */
export interface ProbeDraft {
  readonly path: readonly PathKey[];
  readonly node: Node;
  readonly name?: string;
  readonly type?: ProbeType;
  readonly valid?: Readonly<Record<string, unknown>>;
}

export function duplicateNames(drafts: readonly ProbeDraft[]): ConfigError[] {
  const first = new Map<string, SourcePosition>();
  const errors: ConfigError[] = [];
  for (const draft of drafts) {
    const node = entryNode(draft.node, 'name');
    if (draft.name === undefined || (node?.kind === 'scalar' && node.unresolved)) continue;
    const at = node?.at ?? draft.node.at;
    const earlier = first.get(draft.name);
    if (earlier === undefined) first.set(draft.name, at);
    else errors.push(configError(at, formatPath([...draft.path, 'name']), `duplicate probe name "${draft.name}" (first at ${earlier.file}:${earlier.line}:${earlier.col})`));
  }
  return errors;
}

/** Unknown or repeated names (unknown: with a hint, only when every file was read), a probe after itself, cycles such as `a → b → a`. */
export function afterErrors(drafts: readonly ProbeDraft[], complete: boolean): ConfigError[] {
  const names = new Set(drafts.flatMap((d) => (d.name === undefined ? [] : [d.name])));
  const errors: ConfigError[] = [];
  const edges = new Map<string, { to: string; at: SourcePosition; path: string }[]>();
  for (const draft of drafts) {
    const after = entryNode(draft.node, 'after');
    if (after?.kind !== 'seq') continue;
    const listed = new Map<string, SourcePosition>();
    after.items.forEach((item, i) => {
      if (item.kind !== 'scalar' || typeof item.value !== 'string' || item.failed || item.unresolved) return;
      const path = formatPath([...draft.path, 'after', i]);
      const earlier = listed.get(item.value);
      if (earlier !== undefined) {
        errors.push(configError(item.at, path, `"${item.value}" is listed twice in after (first at ${earlier.file}:${earlier.line}:${earlier.col})`));
        return;
      }
      listed.set(item.value, item.at);
      if (!names.has(item.value)) {
        if (complete) errors.push(configError(item.at, path, `unknown probe "${item.value}"${didYouMean(item.value, names)}`));
      } else if (item.value === draft.name) errors.push(configError(item.at, path, `probe "${item.value}" cannot run after itself`));
      else if (draft.name !== undefined) {
        const list = edges.get(draft.name) ?? [];
        list.push({ to: item.value, at: item.at, path });
        edges.set(draft.name, list);
      }
    });
  }
  return [...errors, ...cycleErrors(edges)];
}

function cycleErrors(edges: ReadonlyMap<string, readonly { to: string; at: SourcePosition; path: string }[]>): ConfigError[] {
  const errors: ConfigError[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    stack.push(name);
    for (const edge of edges.get(name) ?? []) {
      const open = stack.indexOf(edge.to);
      if (open >= 0) {
        const cycle = [...stack.slice(open), edge.to].join(' → ');
        errors.push(configError(edge.at, edge.path, `cycle in after: ${cycle}`));
      } else if (!done.has(edge.to)) {
        visit(edge.to);
      }
    }
    stack.pop();
    done.add(name);
  };
  for (const name of edges.keys()) if (!done.has(name)) visit(name);
  return errors;
}

/** The probe's assertions: its `expect` lines, or its type's defaults when it has none. */
export function assertionsOf(draft: ProbeDraft, type: ProbeType): { assertions: Assertion[]; errors: ConfigError[] } {
  const expect = entryNode(draft.node, 'expect');
  if (expect === undefined) return { assertions: [...defaultAssertions(type, draft.valid)], errors: [] };
  const assertions: Assertion[] = [];
  const errors: ConfigError[] = [];
  if (expect.kind !== 'seq') return { assertions, errors };
  expect.items.forEach((item, i) => {
    if (item.kind !== 'scalar' || typeof item.value !== 'string' || item.failed) return;
    const parsed = parseAssertion(item.value, type.fields);
    // Offline, a line that holds an interpolation is checked only as far as its placeholder lets it parse.
    if (!parsed.ok && item.unresolved) return;
    const unobserved = parsed.ok ? neverObserved(parsed.assertion, type, draft.valid) : undefined;
    if (unobserved !== undefined) errors.push(configError(item.at, formatPath([...draft.path, 'expect', i]), unobserved));
    else if (parsed.ok) assertions.push(parsed.assertion);
    else {
      const at = item.textCol === undefined ? item.at : { ...item.at, col: item.textCol + parsed.offset };
      errors.push(configError(at, formatPath([...draft.path, 'expect', i]), parsed.message));
    }
  });
  return { assertions, errors };
}

/** A line on a field its probe never observes without a key (`writable` without `writeCheck`) could never pass. */
function neverObserved(assertion: Assertion, type: ProbeType, valid: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const first = assertion.path[0];
  const field = first !== undefined && 'key' in first ? first.key : undefined;
  const key = field === undefined ? undefined : type.observedOnlyWith?.[field];
  // Without a valid spec its own errors are reported; whether the key is set is not known then.
  if (key === undefined || valid === undefined || (valid[key] !== undefined && valid[key] !== false)) return undefined;
  return `"${field}" is observed only with \`${key}\`, which this probe does not set: this line could never pass (set ${key}, or remove the line)`;
}

// Parsed once per type (and list of lines), not once per probe: the suite is frozen, so its probes may share them.
const defaults = new Map<ProbeType, Map<string, readonly Assertion[]>>();

function defaultAssertions(type: ProbeType, valid: Readonly<Record<string, unknown>> | undefined): readonly Assertion[] {
  const lines = typeof type.defaultExpect === 'function' ? (valid === undefined ? [] : type.defaultExpect(valid)) : type.defaultExpect;
  const key = lines.join('\n');
  let byLines = defaults.get(type);
  if (byLines === undefined) defaults.set(type, (byLines = new Map()));
  let assertions = byLines.get(key);
  if (assertions === undefined) byLines.set(key, (assertions = lines.map((text) => parseOrThrow(text, type))));
  return assertions;
}

function parseOrThrow(text: string, type: ProbeType): Assertion {
  const parsed = parseAssertion(text, type.fields);
  if (!parsed.ok) throw new Error(`${type.type} probe's default expectation "${text}" does not parse: ${parsed.message}`);
  return parsed.assertion;
}

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** `host: tcp://127.0.0.1:5432` names no host: each connection would fail as a lookup of that text. */
export function hostErrors(drafts: readonly ProbeDraft[]): ConfigError[] {
  return drafts.flatMap((draft) => {
    const host = draft.valid?.host;
    const node = entryNode(draft.node, 'host');
    if (typeof host !== 'string' || !URL_LIKE.test(host) || node === undefined || draft.type === undefined) return [];
    const url = URL.canParse(host) ? new URL(host) : undefined;
    const parts = url?.hostname ? `host: ${url.hostname}${url.port && 'port' in draft.type.spec.shape ? ` and port: ${url.port}` : ''}` : 'only the host name or address';
    const whole = 'url' in draft.type.spec.shape ? `, or give the whole URL as url:` : '';
    return [configError(node.at, formatPath([...draft.path, 'host']), `must be a host name or address, not a URL: write ${parts}${whole}`)];
  });
}

/** A setting's value in milliseconds and where it was written; no `at` for a built-in default. */
export interface Setting {
  readonly ms: number;
  readonly at?: SourcePosition | undefined;
}

/** A timeout longer than the deadline could never be reached: the run aborts every attempt at its deadline first. */
export function timeoutErrors(drafts: readonly ProbeDraft[], deadline: Setting, timeout: Setting): ConfigError[] {
  const where = (at: SourcePosition | undefined) => (at ? `${at.file}:${at.line}:${at.col}` : 'the default');
  const tooLong = (ms: number) => `timeout ${formatDuration(ms)} is longer than the deadline ${formatDuration(deadline.ms)} (${where(deadline.at)}): no attempt could run to its timeout`;
  const errors: ConfigError[] = [];
  if (timeout.at && timeout.ms > deadline.ms) errors.push(configError(timeout.at, 'defaults.timeout', tooLong(timeout.ms)));
  let builtInUsed = false;
  for (const draft of drafts) {
    if (draft.valid === undefined) continue;
    const own = draft.valid.timeout as number | undefined;
    const at = entryNode(draft.node, 'timeout')?.at;
    if (own === undefined || at === undefined) builtInUsed ||= timeout.at === undefined;
    else if (own > deadline.ms) errors.push(configError(at, formatPath([...draft.path, 'timeout']), tooLong(own)));
  }
  if (builtInUsed && deadline.at && timeout.ms > deadline.ms) {
    errors.push(configError(deadline.at, 'deadline', `is shorter than the default timeout ${formatDuration(timeout.ms)} of probes without their own: set defaults.timeout to at most ${formatDuration(deadline.ms)}`));
  }
  return errors;
}

/** Timing in milliseconds: the probe's own key, else the merged defaults, else the built-in default. */
export function timingOf(valid: Readonly<Record<string, unknown>>, defaults: Timing): Timing {
  const pick = <K extends keyof Timing>(own: unknown, fallback: Timing[K]): Timing[K] => (own === undefined ? fallback : (own as Timing[K]));
  return {
    timeoutMs: pick<'timeoutMs'>(valid.timeout, defaults.timeoutMs),
    withinMs: pick<'withinMs'>(valid.within, defaults.withinMs),
    intervalMs: pick<'intervalMs'>(valid.interval, defaults.intervalMs),
    passes: pick<'passes'>(valid.passes, defaults.passes),
    severity: pick<'severity'>(valid.severity, defaults.severity),
  };
}

export function entryNode(node: Node, key: string): Node | undefined {
  return node.kind === 'map' ? node.entries.get(key)?.node : undefined;
}
