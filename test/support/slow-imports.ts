// Preloaded with `--import`: the first resolution of each specifier named in $SLOW_IMPORTS (comma-separated)
// blocks the process for $SLOW_IMPORTS_MS, as loading a driver from a cold disk or a throttled CPU does once.
import { registerHooks } from 'node:module';

const slow = new Set((process.env.SLOW_IMPORTS ?? '').split(',').filter(Boolean));
const ms = Number(process.env.SLOW_IMPORTS_MS ?? 500);
const cell = new Int32Array(new SharedArrayBuffer(4));
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (slow.delete(specifier)) Atomics.wait(cell, 0, 0, ms);
    return nextResolve(specifier, context);
  },
});
