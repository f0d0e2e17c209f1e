// V8 tuned for what a run is: one short burst of probes in a process that exits after it (a PostSync
// Job), not a long-lived server. Measured in docs/PERFORMANCE.md ("What was changed").
import { getCompileCacheDir } from 'node:module';
import { setFlagsFromString } from 'node:v8';

const FLAGS = [
  // TurboFan's compile jobs do not pay for themselves in a run of a few seconds (Ignition, Sparkplug and
  // Maglev still run); its compiler zones were ~15 MB of the peak.
  '--no-turbofan',
  // undici's llhttp parser stays on WebAssembly's baseline compiler: tiering it up compiled large
  // functions with TurboFan for a parser that reads a few hundred bytes per probe.
  '--liftoff-only',
  '--no-wasm-tier-up',
  '--no-wasm-dynamic-tiering',
  // The young generation stays at its start size instead of growing to 64 MB under the burst of
  // short-lived allocations, and the old generation grows to 2× its live size between full collections
  // instead of up to 4×: the live heap of a 2,000-probe run is ~30 MB. (1.5× held W2000 at ~135 MB
  // instead of ~160 MB for ~10% more CPU there.)
  '--semi-space-growth-factor=1',
  '--heap-growing-percent=100',
  // The `l` flag: a user's `matches` pattern runs in time linear in the text where this engine can run it
  // (src/assert/regex.ts); set here, with the others, so the flag hash a primed compile cache saw is the same.
  '--enable-experimental-regexp-engine',
];

// Only where a primed compile cache serves this process (the image, an app laid out by `tools/build.ts --app
// --prime`; bin/syncproof.js enables it): every function of a module compiled when the module is, so the cache
// Node writes right after compiling holds them all, and a start deserializes bytecode instead of compiling each
// function at its first call (Node's cache otherwise holds only the functions V8 compiled eagerly). Without a
// cache (a checkout, an npm install, a uid the image was not primed for) this would compile whole drivers that
// are never called, so it is not set there.
const CACHED_FLAGS = ['--no-lazy'];

let tuned = false;

/**
 * Sets the flags once, before the suite is loaded and any driver is compiled. Also changes V8's flag hash:
 * a compile cache primed by `syncproof run` (the image's) was made with the same flags set at the same point.
 */
export function tuneV8ForShortRun(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of FLAGS) setFlagsFromString(flag);
  if (getCompileCacheDir() !== undefined) for (const flag of CACHED_FLAGS) setFlagsFromString(flag);
}
