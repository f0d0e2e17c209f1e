// `npm run build`: src/ and its production dependencies bundled by esbuild into dist/ (no node_modules
// needed at run time). Start-up is the cost of a PostSync Job: ~290 module files loaded one by one took
// ~100 ms of CPU more than a few bundled ones (docs/PERFORMANCE.md). The drivers' lazy `import()`s stay
// separate chunks, so a suite loads only the drivers it uses.
//   node tools/build.ts [OUTDIR]     (default dist; the directory is emptied first)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(process.argv[2] ?? join(ROOT, 'dist'));

// zod's `z` namespace re-exports every locale (~360 KB of the bundle, a third of what a run compiles);
// syncproof uses none but English, which zod sets itself (classic/schemas.js imports locales/en.js).
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

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  // The lookup helper is forked by path (src/system-lookup.ts): its own entry, beside cli.js.
  entryPoints: ['src/cli.ts', 'src/system-lookup-helper.ts'],
  outdir,
  bundle: true,
  splitting: true,
  // Chunks sit beside cli.js: src/version.ts reads ../package.json and src/system-lookup.ts forks
  // ./system-lookup-helper.js relative to the module they end up in.
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // pg's native binding is optional and never used (pg.native is only read when asked for).
  external: ['pg-native'],
  // The CommonJS drivers call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __syncproofRequire } from 'node:module'; const require = __syncproofRequire(import.meta.url);" },
  plugins: [zodEnglishOnly, cjsFacades],
  metafile: true,
  logLevel: 'warning',
});

writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), licenses(Object.keys(result.metafile.inputs)));
const bytes = readdirSync(outdir).reduce((sum, f) => sum + readFileSync(join(outdir, f)).length, 0);
process.stderr.write(`built ${outdir}: ${readdirSync(outdir).length} files, ${(bytes / 1e6).toFixed(1)} MB\n`);

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
