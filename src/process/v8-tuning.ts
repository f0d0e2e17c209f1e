// V8 tuned for what a run is: one short burst of probes in a process that exits after it (a PostSync
// Job), not a long-lived server. Measured in docs/PERFORMANCE.md ("What was changed").
import { setFlagsFromString } from 'node:v8';

/** Each flag as set, and V8's default (test/process/v8-tuning.test.ts checks them against `node --v8-options`). */
type Flag = readonly [tuned: string, byDefault: string];

const FLAGS: readonly Flag[] = [
  // TurboFan's compile jobs do not pay for themselves in a run of a few seconds (Ignition, Sparkplug and
  // Maglev still run); its compiler zones were ~15 MB of the peak.
  ['--no-turbofan', '--turbofan'],
  // undici's llhttp parser stays on WebAssembly's baseline compiler: tiering it up compiled large
  // functions with TurboFan for a parser that reads a few hundred bytes per probe.
  ['--liftoff-only', '--no-liftoff-only'],
  ['--no-wasm-tier-up', '--wasm-tier-up'],
  ['--no-wasm-dynamic-tiering', '--wasm-dynamic-tiering'],
  // The young generation stays at its start size instead of growing to 64 MB under the burst of
  // short-lived allocations, and the old generation grows to 2× its live size between full collections
  // instead of up to 4×: the live heap of a 2,000-probe run is ~30 MB. (1.5× held W2000 at ~135 MB
  // instead of ~160 MB for ~10% more CPU there.)
  ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2'],
  ['--heap-growing-percent=100', '--heap-growing-percent=0'],
  // The `l` flag: a user's `matches` pattern runs in time linear in the text where this engine can run it
  // (src/assert/regex.ts); set here, with the others, so the flag hash a primed compile cache saw is the same.
  ['--enable-experimental-regexp-engine', '--no-enable-experimental-regexp-engine'],
];

// Only where the app's primed compile cache serves this process (bin/syncproof.js says so: the image, an app
// laid out by `tools/build.ts --app --prime`): every function of a module compiled when the module is, so the
// cache Node writes right after compiling holds them all, and a start deserializes bytecode instead of
// compiling each function at its first call. Anywhere else (a checkout, an npm install, NODE_COMPILE_CACHE
// naming another directory, a uid or flags the cache was not primed for) this would compile whole modules
// at every start, so it is not set there.
const CACHED_FLAGS: readonly Flag[] = [['--no-lazy', '--lazy']];

/** Every flag set here, with V8's default. */
export const SHORT_RUN_FLAGS: readonly Flag[] = [...FLAGS, ...CACHED_FLAGS];

/** Set by bin/syncproof.js when it enabled the app's own compile cache and that cache holds entries. */
const PRIMED_CACHE = Symbol.for('syncproof.primed-compile-cache');

// Node's own modules carry a code cache made under V8's default flags, and V8 takes a code cache only under
// the flags it was made with: a builtin first loaded while the flags above are set is compiled from its source
// (whole, under --no-lazy; undici's ~70 took ~35 ms more). What a command loads in any case is loaded before
// they are set: the standard streams (`node:net` for a stdout that is a pipe, as in a container) and for `run`
// the sockets and lookups every run has; a driver's are loaded by `loadBuiltins` before the driver is.
// `MODULE#name` also reads that export (`globalThis#crypto` a global): Node loads some of its modules only then.
const BUILTINS_FIRST = {
  validate: ['node:process'],
  run: ['node:process', 'node:net#BlockList', 'node:net#SocketAddress', 'node:dns', 'node:dns/promises'],
} as const satisfies Record<string, readonly string[]>;

let applied: readonly Flag[] = [];
const loaded = new Set<string>();

/**
 * Sets the flags once, before the suite is loaded and any driver is compiled. Also changes V8's flag hash:
 * a compile cache primed by `syncproof run` (the image's) was made with the same flags set at the same point.
 */
export function tuneV8ForShortRun(command: keyof typeof BUILTINS_FIRST): void {
  if (applied.length > 0) return;
  void process.stdout;
  void process.stderr;
  loadBuiltins(BUILTINS_FIRST[command]);
  const primed = (globalThis as Record<symbol, unknown>)[PRIMED_CACHE] === true;
  applied = primed ? SHORT_RUN_FLAGS : FLAGS;
  for (const [tuned] of applied) setFlagsFromString(tuned);
}

/**
 * V8's defaults back, for the moment a code cache is written that a later process deserializes before it sets
 * the flags (dist/validate.cjs's, bin/syncproof.js): V8 takes a code cache only under the flags it was made with.
 */
export function restoreV8Defaults(): void {
  for (const [, byDefault] of applied) setFlagsFromString(byDefault);
  applied = [];
}

/**
 * Loads Node's builtins `names` (`node:tls`, …) with their code cache: under V8's default flags for the
 * moment, when the short-run flags are set (before they are, as they are). Synchronous, so nothing else is compiled meanwhile.
 */
export function loadBuiltins(names: Iterable<string>): void {
  const missing = [...new Set(names)].filter((name) => !loaded.has(name));
  if (missing.length === 0) return;
  for (const name of missing) loaded.add(name);
  for (const [, byDefault] of applied) setFlagsFromString(byDefault);
  try {
    for (const name of missing) loadBuiltin(name);
  } finally {
    for (const [tuned] of applied) setFlagsFromString(tuned);
  }
}

function loadBuiltin(name: string): void {
  const [module = name, property] = name.split('#');
  const exports: unknown = module === 'globalThis' ? globalThis : process.getBuiltinModule(module);
  if (property !== undefined) void (exports as Record<string, unknown>)[property];
}
