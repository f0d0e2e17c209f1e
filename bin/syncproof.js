#!/usr/bin/env node
// The TypeScript source in a checkout (src/ beside bin/), else the bundle: the image, the npm package and
// an app laid out by `node tools/build.ts --app` ship dist/ and no src/. Not "dist/ whenever it exists":
// a checkout's dist/ from some earlier `npm run build` would run stale code.
//
// No static import: an older Node would fail on one (enableCompileCache, the .ts source) with a SyntaxError
// before the version check below could say what is wrong. This file itself parses on any Node with ESM.
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write(`syncproof needs Node 24 or newer; this is Node ${process.versions.node} (${process.execPath})\n`);
  process.exit(2);
}

// Taken from process, not imported: `import('node:fs')` builds an ES module facade that reads every export
// of node:fs, its lazy stream classes included, and so loads Node's streams at every start.
const { existsSync, readdirSync } = process.getBuiltinModule('node:fs');
const { constants, enableCompileCache } = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');

// The image ships V8's code cache of dist/, primed at build by the user it runs as (Node keys the
// cache by uid): a cold start then skips most compiling. Elsewhere there is no such directory and
// nothing is cached. A stale or foreign entry is rejected by Node, never used.
// Whether that cache serves this process is told to src/process/v8-tuning.ts (which then compiles modules
// whole): not when NODE_COMPILE_CACHE enabled another directory first, nor when Node made a new, empty one
// for a uid or flags the cache was not primed for.
const cache = new URL('../compile-cache', import.meta.url);
if (existsSync(cache)) {
  const { status, directory } = enableCompileCache(fileURLToPath(cache));
  if (status === constants.compileCacheStatus.ENABLED && directory && readdirSync(directory).length > 0) {
    globalThis[Symbol.for('syncproof.primed-compile-cache')] = true;
  }
}

const checkout = existsSync(new URL('../src', import.meta.url));
const { runCli } = await import(new URL(checkout ? '../src/cli.ts' : '../dist/cli.js', import.meta.url).href);
await runCli();
