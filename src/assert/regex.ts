// `matches` under a bound: a user's pattern may backtrack exponentially (`/^(a+)+$/` on 48 a's and a
// '!'), and a regex running on the main thread blocks every timer, the deadline's too.
// - Where V8's linear-time engine can run the pattern (the `l` flag, enabled by src/process/v8-tuning.ts),
//   it runs there: time linear in the text, on the main thread.
// - It cannot run backreferences, lookahead, the i, u and v flags, or counted repetition beyond a small
//   bound; those patterns run in a worker thread that is terminated at the attempt's timeout or the
//   run's abort, and the assertion fails saying so.
import { testInWorker } from './regex-worker.ts';

const linear = new Map<string, RegExp | null>();

/** The pattern compiled for the linear engine, or null when that engine cannot run it (or is not enabled). */
export function linearRegex(source: string, flags: string): RegExp | null {
  const key = `${flags}/${source}`;
  let compiled = linear.get(key);
  if (compiled === undefined) {
    try {
      // g, y and d say nothing to one `test` from the start of the text.
      compiled = new RegExp(source, `${flags.replace(/[gyd]/g, '')}l`);
    } catch {
      compiled = null;
    }
    linear.set(key, compiled);
  }
  return compiled;
}

/** Whether the text matches, or undefined when the pattern ran past `boundMs` or `signal` aborted. */
export async function matchesBounded(source: string, flags: string, text: string, bound: RegexBound): Promise<boolean | undefined> {
  const compiled = linearRegex(source, flags);
  if (compiled) return compiled.test(text);
  return testInWorker(source, flags, text, bound);
}

export interface RegexBound {
  readonly boundMs: number;
  readonly signal: AbortSignal;
}
