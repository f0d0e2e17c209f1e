// `npm run build`: src/ and its production dependencies bundled by esbuild into dist/ (no node_modules
// needed at run time). Start-up is the cost of a PostSync Job: loading a few bundled files costs far less CPU
// than loading hundreds of module files one by one (measured in docs/PERFORMANCE.md). The drivers' lazy `import()`s stay
// separate chunks, so a suite loads only the drivers it uses.
//   node tools/build.ts [OUTDIR]          the bundle only (default dist; emptied first if it holds an earlier
//                                         build's output only, refused if it holds anything else)
//   node tools/build.ts --app DIR [--prime]
//     the app as the image runs it: DIR/{package.json,bin,dist}, and with --prime DIR/compile-cache, V8's
//     code cache of dist/ (and of dist/validate.cjs, validate-BUILD.v8) made by running the CLI once (Node files it by the app's path and the uid that
//     runs this). The one way the Dockerfile, the bench and test/image/build.test.ts lay it out. DIR must be absent,
//     empty or syncproof's app layout (package.json named syncproof). Prints nothing on success.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { asciiOnly } from './ascii-only.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// zod's `z` namespace re-exports every locale (a large share of the bundle and of what a run compiles);
// syncproof uses none but English, which src/zod.ts imports (zod/v4/locales/en.js) and sets.
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[/\\]node_modules[/\\]zod[/\\]v4[/\\](classic|core)[/\\]/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined);
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      resolveDir: dirname(args.path),
    }));
  },
};

// `const { Agent } = await import('undici')`: Node gives a CommonJS module's exports as named exports
// too; esbuild's chunk of a CommonJS package exports only `default`. So a lazily imported CommonJS
// package (the drivers) is reached through a facade: `default` is module.exports, as in Node, and every
// export name the package has (read here, at build time) is a named export beside it.
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const cjsFacades: Plugin = {
  name: 'cjs-named-exports',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'dynamic-import' || isBuiltin(args.path) || args.namespace !== 'file' || !args.importer.startsWith(join(ROOT, 'src'))) return undefined;
      return isCommonJs(args.path) ? { path: args.path, namespace: 'cjs-facade' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'cjs-facade' }, (args) => {
      const names = Object.keys(requireFromRoot(args.path) as object).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const lines = [`const m = require(${JSON.stringify(args.path)});`, 'export default m;', ...names.map((n) => `export const ${n} = m.${n};`)];
      return { contents: lines.join('\n'), resolveDir: ROOT, loader: 'js' };
    });
  },
};

function isCommonJs(specifier: string): boolean {
  const entry = fileURLToPath(import.meta.resolve(specifier));
  if (entry.endsWith('.cjs')) return true;
  if (entry.endsWith('.mjs')) return false;
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type !== 'module';
  }
  return true;
}

/** Empties `outdir` (if it is a build output, see clearBuildOutput) and bundles into it; returns the files written. */
async function bundle(outdir: string): Promise<string[]> {
  clearBuildOutput(outdir);
  const result = await build({
    absWorkingDir: ROOT,
    // The lookup helper is forked by path (src/process/host-lookup.ts): its own entry, beside cli.js.
    entryPoints: [{ in: 'src/cli.ts', out: 'cli' }, { in: 'src/process/host-lookup-helper.ts', out: 'host-lookup-helper' }],
    outdir,
    bundle: true,
    splitting: true,
    // Chunks sit beside cli.js: src/version.ts reads ../package.json and src/process/host-lookup.ts forks
    // ./host-lookup-helper.js relative to the module they end up in.
    chunkNames: '[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // pg's native binding is optional and never used (pg.native is only read when asked for).
    external: ['pg-native'],
    // @platformatic/kafka's wasm helpers read native.wasm beside their own file, which a bundle does not
    // ship; the package's `bundled` entry is the same module with the wasm inlined, made for bundlers.
    alias: { '@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled' },
    // The CommonJS drivers call require() for Node's own modules; an ES module has none of its own.
    banner: { js: "import { createRequire as __syncproofRequire } from 'node:module'; const require = __syncproofRequire(import.meta.url);" },
    plugins: [zodEnglishOnly, cjsFacades],
    metafile: true,
    logLevel: 'warning',
  });
  await bundleValidateScript(outdir);
  for (const file of readdirSync(outdir)) if (/\.c?js$/.test(file)) asciiOnlyFile(join(outdir, file));
  writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), licenses(Object.keys(result.metafile.inputs)));
  return readdirSync(outdir);
}

/**
 * `validate` as one CommonJS script, dist/validate.cjs (src/validate-script.ts): bin/syncproof.js compiles it
 * with a code cache written after a priming run, which holds just the functions validating runs, where Node's
 * compile cache of dist/cli.js's ES modules holds whole modules, each loaded, linked and deserialized apart
 * (docs/PERFORMANCE.md). The same sources; the drivers stay out (validate opens no connection), the yaml
 * package is in it.
 */
// Every dependency but zod and yaml, which validating uses: the drivers and what they import.
const DRIVERS = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies)
  .filter((name) => name !== 'zod' && name !== 'yaml');

async function bundleValidateScript(outdir: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/validate-script.ts'],
    outfile: join(outdir, 'validate.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    external: ['pg-native', ...DRIVERS],
    // src/version.ts reads ../package.json beside the file it is in, as from dist/cli.js; src/cli.ts runs
    // itself only as the main module, which this script never is.
    banner: { js: "const __syncproofMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__syncproofMetaUrl', 'import.meta.main': 'false' },
    supported: { 'top-level-await': false },
    logLevel: 'warning',
  });
  // The build's id on the first line: bin/syncproof.js takes only the code cache filed under it, so a cache
  // made for another build is never given to this one (V8 matches a cache to its source by length only).
  const file = join(outdir, 'validate.cjs');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `// syncproof-build ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n${text}`);
}

/** A chunk rewritten as ASCII (./ascii-only.ts); the build stops where that cannot be done safely. */
function asciiOnlyFile(path: string): void {
  const text = readFileSync(path, 'utf8');
  const result = asciiOnly(text, path);
  if (!result.ok) fail(`${path}: ${result.error}`);
  if (result.text !== text) writeFileSync(path, result.text);
}

// What esbuild writes (the entries, `[name]-[hash].js` chunks) and the licenses written above. OUTDIR is
// deleted only when it holds nothing else and the licenses, which only this script writes: `node
// tools/build.ts src` must not delete src/.
const BUILD_OUTPUT = /^(?:[\w.$-]+\.c?js|THIRD-PARTY-LICENSES\.txt)$/;

function clearBuildOutput(outdir: string): void {
  const entries = entriesOf(outdir);
  if (entries === undefined || entries.length === 0) return;
  const foreign = entries.filter((e) => !e.isFile() || !BUILD_OUTPUT.test(e.name)).map((e) => e.name);
  if (foreign.length > 0 || !entries.some((e) => e.name === 'THIRD-PARTY-LICENSES.txt')) {
    fail(`${outdir} is not the output of an earlier build (${foreign.length > 0 ? `it holds ${list(foreign)}` : 'no THIRD-PARTY-LICENSES.txt'}), so it is not emptied; name a new or empty directory`);
  }
  rmSync(outdir, { recursive: true, force: true });
}

const LAYOUT = ['package.json', 'bin', 'dist', 'compile-cache'];

async function layOutApp(app: string, prime: boolean): Promise<void> {
  emptyApp(app);
  // package.json first: an app whose build stops half-way is still known as syncproof's, and emptied next time.
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  await bundle(join(app, 'dist'));
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  if (prime) primeCompileCache(app);
}

/**
 * `app` made an empty directory. Emptied, not removed: the image builds into a /app its unprivileged user
 * owns but cannot recreate. A non-empty `app` is emptied only when it is syncproof's app layout: an
 * installed npm package (package.json, bin/, dist/) looks the same but for the name.
 */
function emptyApp(app: string): void {
  const entries = entriesOf(app)?.map((e) => e.name);
  if (entries === undefined) {
    try {
      mkdirSync(app, { recursive: true });
    } catch (error) {
      fail(`cannot create ${app}: ${(error as Error).message}`);
    }
    return;
  }
  if (entries.length === 0) return;
  const foreign = entries.filter((entry) => !LAYOUT.includes(entry));
  if (foreign.length > 0) fail(`${app} holds ${list(foreign)}: not an app layout, so it is not emptied`);
  const name = packageName(app);
  if (name !== 'syncproof') {
    fail(`${app} holds ${list(entries)} but ${name === undefined ? 'no package.json with a name' : `the package.json of ${JSON.stringify(name)}`}: not syncproof's app layout, so it is not emptied`);
  }
  for (const entry of entries) rmSync(join(app, entry), { recursive: true, force: true });
}

/** The entries of the directory `path`, undefined when nothing is there; anything but a directory stops the build. */
function entriesOf(path: string): Dirent[] | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  if (!stat.isDirectory()) fail(`${path} is not a directory`);
  return readdirSync(path, { withFileTypes: true });
}

function packageName(dir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown } | null;
    return typeof manifest?.name === 'string' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

function list(names: readonly string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

/**
 * Every chunk of dist/ compiled once: `--version` and a run of one probe of every type against a closed port
 * (tools/prime-compile-cache.yaml, exit 1): with the cache, `run` compiles whole modules
 * (src/process/v8-tuning.ts), so a chunk left out would be compiled whole at every start. And `validate` of the
 * same suite, which runs dist/validate.cjs and writes its code cache after the run (bin/syncproof.js). Run with
 * this Node and no flags, as the image's ENTRYPOINT runs it: a node flag that changes V8's flag hash would need
 * adding to both.
 */
function primeCompileCache(app: string): void {
  const cache = join(app, 'compile-cache');
  mkdirSync(cache);
  const cli = join(app, 'bin', 'syncproof.js');
  runExpecting([cli, '--version'], 0);
  const suite = join(ROOT, 'tools/prime-compile-cache.yaml');
  // validate runs dist/validate.cjs (bin/syncproof.js), which writes its code cache after this run.
  runExpecting([cli, 'validate', '--config', suite], 0, { SYNCPROOF_PRIME_VALIDATE_SCRIPT: '1' });
  if (!readdirSync(cache).some((name) => /^validate-[0-9a-f]+\.v8$/.test(name))) fail(`priming wrote no validate-BUILD.v8 to ${cache}`);
  runExpecting([cli, 'run', '--config', suite, '--no-sinks', '--termination-log', ''], 1);
  const entries = readdirSync(cache, { recursive: true, withFileTypes: true });
  if (!entries.some((e) => e.isFile())) fail(`priming wrote nothing to ${cache}`);
  // Readable by every uid (a+rX): the image copies it owned by root, and its user only reads it.
  for (const path of [cache, ...entries.map((e) => join(e.parentPath, e.name))]) {
    const stat = statSync(path);
    chmodSync(path, stat.mode | 0o444 | (stat.isDirectory() || stat.mode & 0o111 ? 0o111 : 0));
  }
}

// Without the caller's NODE_OPTIONS (a flag such as --stack-trace-limit changes V8's flag hash, and the
// cache is then filed where the ENTRYPOINT's plain `node` never looks) and NODE_COMPILE_CACHE or
// NODE_DISABLE_COMPILE_CACHE (either makes bin/'s enableCompileCache a no-op).
const PRIMING_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !/^NODE_(?:DISABLE_)?COMPILE_CACHE/.test(name)));

function runExpecting(args: string[], status: number, env: Record<string, string> = {}): void {
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...PRIMING_ENV, ...env } });
  if (child.status !== status) {
    fail(`priming the compile cache: \`node ${args.join(' ')}\` exited ${child.status ?? child.signal ?? child.error?.message}, expected ${status}\n${child.stdout}${child.stderr}`);
  }
}

function fail(message: string): never {
  process.stderr.write(`tools/build.ts: ${message}\n`);
  process.exit(1);
}

function commandLine() {
  try {
    return parseArgs({ options: { app: { type: 'string' }, prime: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    return fail(`${(error as Error).message}\nusage: node tools/build.ts [OUTDIR] | --app DIR [--prime]`);
  }
}

const { values, positionals } = commandLine();
if (values.app !== undefined) {
  if (positionals.length > 0) fail('--app DIR takes no OUTDIR');
  await layOutApp(resolve(values.app), values.prime);
} else {
  if (values.prime) fail('--prime needs --app DIR');
  const outdir = resolve(positionals[0] ?? join(ROOT, 'dist'));
  const files = await bundle(outdir);
  const bytes = files.reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
  process.stderr.write(`built ${outdir}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB\n`);
}

/** The license texts of every package bundled, since their files no longer ship beside the code. */
function licenses(inputs: readonly string[]): string {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /^(?:[\w-]+:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(resolve(ROOT, match[1]!));
  }
  return [...packages].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${license ?? 'see the package'}`;
    return `${name}@${version}\n${'-'.repeat(40)}\n${text}\n`;
  }).join('\n');
}
