// An attempt's assertions, with every `matches` pattern the linear engine cannot run tested in a worker
// under the attempt's bound (regex.ts), so no pattern can hold the run past its deadline.
import type { Assertion, AssertionResult } from './ast.ts';
import type { FieldKinds, Observed } from '../probes/types.ts';
import { formatDuration } from '../duration.ts';
import { evaluate } from './evaluate.ts';
import { linearRegex, matchesBounded, type RegexBound } from './regex.ts';
import { resolvePath } from './resolve.ts';

export async function evaluateAll(assertions: readonly Assertion[], observed: Observed, fields: FieldKinds, bound: RegexBound): Promise<AssertionResult[]> {
  return Promise.all(assertions.map(async (assertion) => {
    if (!('operand' in assertion) || assertion.operand.kind !== 'regex') return evaluate(assertion, observed, fields);
    const { source, flags } = assertion.operand;
    const value = resolvePath(observed, assertion.path);
    if ((typeof value !== 'string' && typeof value !== 'number') || linearRegex(source, flags)) return evaluate(assertion, observed, fields);
    const matched = await matchesBounded(source, flags, String(value), bound);
    const result = evaluate(assertion, observed, fields, matched ?? false);
    if (matched !== undefined) return result;
    return { ...result, actual: `${result.actual} (the pattern ran past ${formatDuration(bound.boundMs)} without an answer)`, passed: false };
  }));
}
