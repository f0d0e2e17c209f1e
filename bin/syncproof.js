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

const checkout = existsSync(new URL('../src', import.meta.url));

// `validate` runs dist/validate.cjs, the same code as one script, compiled with the code cache a priming run
// wrote (tools/build.ts): the functions validating runs and no others, in one file instead of a dozen ES
// modules (docs/PERFORMANCE.md). Without that cache (a checkout has no dist/; an npm install no cache) or with
// one V8 rejects (another Node, other flags), it is compiled as it runs. NODE_DEBUG=syncproof says which.
const validateScript = new URL('../dist/validate.cjs', import.meta.url);
if (!checkout && process.argv[2] === 'validate' && existsSync(validateScript)) {
  await runValidateScript(fileURLToPath(validateScript), fileURLToPath(new URL('../compile-cache/', import.meta.url)));
} else {
  await runModules();
}

async function runValidateScript(file, cacheDir) {
  const { readFileSync, writeFileSync } = process.getBuiltinModule('node:fs');
  const { Script, constants: vm } = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname, join } = process.getBuiltinModule('node:path');
  const priming = process.env.SYNCPROOF_PRIME_VALIDATE_SCRIPT === '1';
  const source = readFileSync(file, 'utf8');
  // The cache filed under this build's id (tools/build.ts writes it on the first line). One that cannot be
  // read is no cache: this process still validates.
  const build = /^\/\/ syncproof-build ([0-9a-f]+)\n/.exec(source)?.[1];
  const cacheFile = build === undefined ? undefined : join(cacheDir, `validate-${build}.v8`);
  let cachedData;
  if (!priming && cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {}
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData, importModuleDynamically: vm.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const cacheState = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  process.getBuiltinModule('node:util').debuglog('syncproof')('validate script %s: code cache %s', file, cacheState);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (priming && cacheFile !== undefined) {
    // After the run, so the cache holds what ran; under V8's default flags, which this file compiles under.
    // tools/build.ts sets the variable and checks the file was written; a failed write changes no exit code.
    process.on('exit', () => {
      module.exports.restoreV8Defaults();
      try {
        writeFileSync(cacheFile, script.createCachedData());
      } catch (error) {
        process.stderr.write(`syncproof: cannot write ${cacheFile}: ${error.message}\n`);
      }
    });
  }
  await module.exports.runCli();
}

async function runModules() {
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

  const { runCli } = await import(new URL(checkout ? '../src/cli.ts' : '../dist/cli.js', import.meta.url).href);
  await runCli();
}
