// Preloaded with `--import` to record every module specifier the process resolves, and every Node builtin it
// loaded (as `builtin:NAME`, also those taken with process.getBuiltinModule, which no resolve hook sees),
// written at exit to $TRACE_IMPORTS_FILE: how a test sees which drivers and builtins a command really loaded.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    seen.add(specifier);
    return nextResolve(specifier, context);
  },
});
// Node's own list of what it loaded (not in its typings).
const loaded = (): readonly string[] => (process as unknown as { moduleLoadList: readonly string[] }).moduleLoadList;
const builtins = (): string[] => loaded().filter((m) => m.startsWith('NativeModule ')).map((m) => `builtin:${m.slice('NativeModule '.length)}`);
process.on('exit', () => writeFileSync(process.env.TRACE_IMPORTS_FILE!, [...seen, ...builtins()].join('\n')));
