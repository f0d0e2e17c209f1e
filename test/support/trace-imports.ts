// Preloaded with `--import` to record every module specifier the process resolves, written at exit to
// $TRACE_IMPORTS_FILE: how a test sees which drivers a run really loaded.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    seen.add(specifier);
    return nextResolve(specifier, context);
  },
});
process.on('exit', () => writeFileSync(process.env.TRACE_IMPORTS_FILE!, [...seen].join('\n')));
