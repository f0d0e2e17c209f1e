// One probe type's attempts as the probe tests make them: observe a spec (parsed as the loader would),
// expect an observation or a failure, and check assertion lines against what was observed.
import assert from 'node:assert/strict';
import type { ProbeType, AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import { evaluate } from '../../src/assert/evaluate.ts';

export interface ProbeCalls {
  context(timeoutMs?: number, signal?: AbortSignal): AttemptContext;
  observe(input: Record<string, unknown>, ctx?: AttemptContext): Promise<Observation>;
  /** The observation of an attempt that must succeed. */
  observed(input: Record<string, unknown>, ctx?: AttemptContext): Promise<{ observed: Observed; summary: string; notes: readonly string[] }>;
  /** The reason of an attempt that must fail. */
  failure(input: Record<string, unknown>, ctx?: AttemptContext): Promise<string>;
  /** Whether an assertion line, as a user writes it, passes against an observation. */
  holds(line: string, seen: Observed): boolean;
}

export function probeCalls(probe: ProbeType, defaultTimeoutMs: number, suite = 'orders'): ProbeCalls {
  const context = (timeoutMs = defaultTimeoutMs, signal = AbortSignal.timeout(timeoutMs)): AttemptContext => ({ signal, timeoutMs, suite });
  const observe = async (input: Record<string, unknown>, ctx = context()) => (await probe.load())(probe.spec.parse(input), ctx);
  return {
    context,
    observe,
    observed: async (input, ctx) => {
      const result = await observe(input, ctx);
      assert.ok(result.ok, result.ok ? '' : result.error);
      return { observed: result.observed, summary: result.summary, notes: result.notes ?? [] };
    },
    failure: async (input, ctx) => {
      const result = await observe(input, ctx);
      assert.equal(result.ok, false, JSON.stringify(result));
      return result.ok ? '' : result.error;
    },
    holds: (line, seen) => {
      const parsed = parseAssertion(line, probe.fields);
      assert.ok(parsed.ok, `${line}: ${parsed.ok ? '' : parsed.message}`);
      return evaluate(parsed.assertion, { ...seen, duration: 5 }, probe.fields).passed;
    },
  };
}

const HANDLES = ['TCPSocketWrap', 'TLSWrap', 'Timeout'];
/** Sockets and timers of this process now. */
export const openHandles = (): number => process.getActiveResourcesInfo().filter((r) => HANDLES.includes(r)).length;

/** Waits up to 1 s for `count()` to fall to `target` or below; true when it did. */
export async function fallsTo(count: () => number, target: number): Promise<boolean> {
  for (let i = 0; i < 50 && count() > target; i++) await new Promise((r) => setTimeout(r, 20));
  return count() <= target;
}
