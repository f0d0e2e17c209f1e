// The worker threads that run the patterns the linear engine cannot: at most two at once (each is a V8
// isolate of its own, and one per attempt in flight multiplied the run's memory: docs/PERFORMANCE.md), kept unreferenced for the
// next pattern, and terminated when a pattern runs past its bound. Patterns beyond two wait their turn.
import { Worker } from 'node:worker_threads';
import type { RegexBound } from './regex.ts';

/** Evaluated code, not a file: the app's build bundles src/, and this needs no module of its own. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, text }) => {
  let matched = false;
  try { matched = new RegExp(source, flags).test(text); } catch {}
  parentPort.postMessage(matched);
});`;

/** Two: one pattern that backtracks until its bound does not hold up every other. */
const MAX_WORKERS = 2;
/** A pattern's own heap: the text (at most the 1 MiB body) and its backtracking state, not the run's memory. */
const WORKER_HEAP_MB = 32;

interface Job {
  readonly source: string;
  readonly flags: string;
  readonly text: string;
  readonly bound: RegexBound;
  readonly resolve: (matched: boolean | undefined) => void;
}

const idle: Worker[] = [];
const waiting: Job[] = [];
let running = 0;

export function testInWorker(source: string, flags: string, text: string, bound: RegexBound): Promise<boolean | undefined> {
  if (bound.signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    waiting.push({ source, flags, text, bound, resolve });
    next();
  });
}

function next(): void {
  while (running < MAX_WORKERS && waiting.length > 0) {
    const job = waiting.shift()!;
    if (job.bound.signal.aborted) {
      job.resolve(undefined);
      continue;
    }
    running++;
    run(job);
  }
}

function run({ source, flags, text, bound: { boundMs, signal }, resolve }: Job): void {
  const kept = idle.pop();
  const worker = kept ?? new Worker(WORKER_SOURCE, {
    eval: true, execArgv: [], env: {}, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  worker.ref();
  let done = false;
  const finish = (matched: boolean | undefined): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    worker.off('message', answered).off('error', stop).off('exit', stop);
    if (matched === undefined) {
      void worker.terminate();
    } else {
      worker.unref();
      idle.push(worker);
    }
    running--;
    resolve(matched);
    next();
  };
  const answered = (matched: unknown): void => finish(matched === true);
  const stop = (): void => finish(undefined);
  // The bound counts from when the pattern can run: a new thread's start-up is not the pattern's time.
  let timer: NodeJS.Timeout | undefined = kept ? setTimeout(stop, boundMs) : undefined;
  if (!kept) worker.once('online', () => { if (!done) timer = setTimeout(stop, boundMs); });
  signal.addEventListener('abort', stop, { once: true });
  worker.on('message', answered).on('error', stop).on('exit', stop);
  worker.postMessage({ source, flags, text });
}
