// Before a run: every `baseline` assertion resolved to a plain operand from the last passing run, or set aside
// as not evaluated (no store, no passing run yet, the store unreachable, the path missing there).
import { resolveBaseline } from '../assert/baseline.ts';
import type { Assertion } from '../assert/ast.ts';
import { resolvePath } from '../assert/resolve.ts';
import { kindOf, displayValue } from '../assert/values.ts';
import type { ProbeConfig, Suite } from '../suite.ts';
import { probeTypes } from '../probes/index.ts';
import type { JsonValue } from '../probes/types.ts';
import type { Evidence } from '../store/evidence.ts';

export interface SetAside {
  readonly expect: string;
  readonly reason: string;
}

export interface Applied {
  /** The suite with resolved baselines and without the assertions that could not be. */
  readonly suite: Suite;
  /** Per probe name: the assertions not evaluated, and why. */
  readonly notEvaluated: ReadonlyMap<string, readonly SetAside[]>;
  /** Per probe name and assertion text: the baseline value it was compared with, as displayed. */
  readonly baselines: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export function applyBaselines(suite: Suite, evidence: Evidence | null): Applied {
  const notEvaluated = new Map<string, SetAside[]>();
  const baselines = new Map<string, Map<string, string>>();
  const probes = suite.probes.map((probe): ProbeConfig => {
    if (!probe.expect.some((a) => 'baseline' in a && a.baseline)) return probe;
    const kept: Assertion[] = [];
    const old = evidence?.baseline?.probes.find((p) => p.name === probe.name);
    for (const a of probe.expect) {
      if (!('operand' in a) || !a.baseline) {
        kept.push(a);
        continue;
      }
      const setAside = (reason: string) => notEvaluated.set(probe.name, [...(notEvaluated.get(probe.name) ?? []), { expect: a.text, reason }]);
      const missing = noBaseline(evidence, old !== undefined);
      if (missing !== undefined) {
        setAside(missing);
        continue;
      }
      const fields = probeTypes[probe.type]!.fields;
      const kind = kindOf(a.path, fields);
      const value = old!.observed === null ? undefined : storedValue(old!.observed, a.path);
      const resolved = resolveBaseline(a.baseline, a.op, kind, value, a.pathText);
      if (!resolved.ok) {
        setAside(`no baseline: ${resolved.reason} ${evidence!.baseline!.id.slice(0, 8)}`);
        continue;
      }
      kept.push({ ...a, operand: resolved.operand });
      const shown = baselines.get(probe.name) ?? new Map<string, string>();
      shown.set(a.text, displayValue(resolved.value, kind));
      baselines.set(probe.name, shown);
    }
    return { ...probe, expect: kept };
  });
  return { suite: { ...suite, probes }, notEvaluated, baselines };
}

function noBaseline(evidence: Evidence | null, probeFound: boolean): string | undefined {
  if (evidence === null) return 'no baseline: the suite has no store';
  if (evidence.error !== null) return 'no baseline: the store could not be read';
  if (evidence.baseline === null) return 'no baseline: no earlier passing run';
  if (!probeFound) return `no baseline: the probe is not in the baseline run ${evidence.baseline.id.slice(0, 8)}`;
  return undefined;
}

const CUT_LIST = /^… \[truncated, (\d+) items\]$/;
const CUT_TEXT = /… \[truncated, (\d+) chars\]$/;

/**
 * The value at a path in a stored observation, which the record cut (src/record/compact.ts): the `.length` of a
 * cut list or text is the length it had, not the length kept.
 */
function storedValue(observed: JsonValue, path: Assertion['path']): JsonValue | undefined {
  const last = path.at(-1);
  if (last && 'key' in last && last.key === 'length' && observed !== null && typeof observed === 'object' && !Array.isArray(observed)) {
    const parent = resolvePath(observed, path.slice(0, -1));
    const marker = Array.isArray(parent) ? parent.at(-1) : parent;
    const cut = typeof marker === 'string' ? (Array.isArray(parent) ? CUT_LIST : CUT_TEXT).exec(marker) : null;
    if (cut) return Number(cut[1]);
  }
  return observed !== null && typeof observed === 'object' && !Array.isArray(observed) ? resolvePath(observed, path) : undefined;
}
