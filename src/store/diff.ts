// What changed between two stored runs: probes whose verdict changed (or that came or went), observations
// that moved beyond a threshold, assertions added or removed. Walks are bounded: a record is untrusted input.
import { kindOf } from '../assert/values.ts';
import type { PathSegment } from '../assert/ast.ts';
import { probeTypes } from '../probes/index.ts';
import type { JsonValue } from '../probes/types.ts';
import type { ProbeRecord, ProbeVerdict, RunRecord } from '../record/types.ts';

/** A number moved when it changed by more than this share of the larger of the two values. */
export const MOVE_SHARE = 0.1;
/** …and, for a duration, by at least this many milliseconds (a 2 ms → 3 ms attempt is noise, not a move). */
export const MOVE_DURATION_MS = 10;
/** Texts that change on every run (a Date header, a whole body whose JSON is compared as `json`). */
const NOT_COMPARED = new Set(['headers', 'body']);
const MAX_DEPTH = 8;
const MAX_LEAVES = 2000;

export interface VerdictChange {
  readonly probe: string;
  /** null: the probe was not in that run. */
  readonly from: ProbeVerdict | null;
  readonly to: ProbeVerdict | null;
}

export interface ObservationMove {
  readonly probe: string;
  readonly path: string;
  /** added / removed: the path is in the later / earlier run only (its other side is null). */
  readonly change: 'moved' | 'added' | 'removed';
  readonly from: JsonValue | null;
  readonly to: JsonValue | null;
  /** The path's field kind where the probe type declares it (`duration`: milliseconds). */
  readonly kind: string | null;
}

export interface AssertionChange {
  readonly probe: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface RunDiff {
  readonly verdict: { readonly from: RunRecord['verdict']; readonly to: RunRecord['verdict'] };
  readonly probes: readonly VerdictChange[];
  readonly observations: readonly ObservationMove[];
  readonly assertions: readonly AssertionChange[];
}

export function diffRuns(a: RunRecord, b: RunRecord): RunDiff {
  const before = new Map(a.probes.map((p) => [p.name, p]));
  const after = new Map(b.probes.map((p) => [p.name, p]));
  const probes: VerdictChange[] = [];
  const observations: ObservationMove[] = [];
  const assertions: AssertionChange[] = [];
  for (const p of b.probes) {
    const old = before.get(p.name);
    if (!old) {
      probes.push({ probe: p.name, from: null, to: p.verdict });
      continue;
    }
    if (old.verdict !== p.verdict) probes.push({ probe: p.name, from: old.verdict, to: p.verdict });
    observations.push(...moves(old, p));
    const was = new Set(old.assertions.map((x) => x.expect));
    const now = new Set(p.assertions.map((x) => x.expect));
    const added = [...now].filter((e) => !was.has(e));
    const removed = [...was].filter((e) => !now.has(e));
    // A probe that could not observe evaluates no assertion: that is its verdict's change, not an edit of the suite.
    if ((added.length || removed.length) && was.size > 0 && now.size > 0) assertions.push({ probe: p.name, added, removed });
  }
  for (const p of a.probes) if (!after.has(p.name)) probes.push({ probe: p.name, from: p.verdict, to: null });
  return { verdict: { from: a.verdict, to: b.verdict }, probes, observations, assertions };
}

function moves(a: ProbeRecord, b: ProbeRecord): ObservationMove[] {
  const fields = probeTypes[b.type]?.fields ?? {};
  const left = leaves(a.observed);
  const right = leaves(b.observed);
  const out: ObservationMove[] = [];
  for (const [path, { value, segments }] of right) {
    const kind = kindOf(segments, fields) ?? null;
    const old = left.get(path)?.value;
    if (old === undefined) out.push({ probe: b.name, path, change: 'added', from: null, to: value, kind });
    else if (moved(old, value, kind)) out.push({ probe: b.name, path, change: 'moved', from: old, to: value, kind });
  }
  for (const [path, { value, segments }] of left) {
    if (!right.has(path)) out.push({ probe: b.name, path, change: 'removed', from: value, to: null, kind: kindOf(segments, fields) ?? null });
  }
  return out;
}

function moved(a: JsonValue, b: JsonValue, kind: string | null): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    const delta = Math.abs(a - b);
    if (kind === 'duration' && delta < MOVE_DURATION_MS) return false;
    return delta > MOVE_SHARE * Math.max(Math.abs(a), Math.abs(b));
  }
  return JSON.stringify(a) !== JSON.stringify(b);
}

type Leaf = { readonly value: JsonValue; readonly segments: PathSegment[] };

/** `status`, `replication.lag`, `json.items.length`: scalar leaves, and a list's length rather than its items. */
function leaves(observed: JsonValue | null): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const visit = (value: JsonValue, path: string, segments: PathSegment[], depth: number): void => {
    if (out.size >= MAX_LEAVES) return;
    if (Array.isArray(value)) {
      out.set(`${path}.length`, { value: value.length, segments: [...segments, { key: 'length' }] });
      return;
    }
    if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return;
      for (const [key, child] of Object.entries(value)) {
        if (depth === 0 && NOT_COMPARED.has(key)) continue;
        visit(child, path ? `${path}.${key}` : key, [...segments, { key }], depth + 1);
      }
      return;
    }
    out.set(path, { value, segments });
  };
  if (observed !== null) visit(observed, '', [], 0);
  return out;
}
