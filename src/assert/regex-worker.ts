// The worker threads that run the patterns the linear engine cannot: one per pattern running at a time,
// kept (unreferenced) for the next, terminated when a pattern runs past its bound.
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

/** A pattern's own heap: the text (at most the 1 MiB body) and its backtracking state, not the run's memory. */
const WORKER_HEAP_MB = 32;

const idle: Worker[] = [];

export function testInWorker(source: string, flags: string, text: string, { boundMs, signal }: RegexBound): Promise<boolean | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  const kept = idle.pop();
  const worker = kept ?? new Worker(WORKER_SOURCE, {
    eval: true, execArgv: [], env: {}, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  worker.ref();
  return new Promise((resolve) => {
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
      resolve(matched);
    };
    const answered = (matched: unknown): void => finish(matched === true);
    const stop = (): void => finish(undefined);
    // The bound counts from when the pattern can run: a new thread's start-up is not the pattern's time.
    let timer: NodeJS.Timeout | undefined = kept ? setTimeout(stop, boundMs) : undefined;
    if (!kept) worker.once('online', () => { if (!done) timer = setTimeout(stop, boundMs); });
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', answered).on('error', stop).on('exit', stop);
    worker.postMessage({ source, flags, text });
  });
}
