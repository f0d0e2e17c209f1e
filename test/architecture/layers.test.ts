// The layers of src/ point one way: a file imports its own layer or a layer below it, never one above.
// The order is the one docs/architecture.md draws; every file of src/ must belong to a layer, so a new
// folder is placed deliberately rather than by accident.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Top to bottom. A path ending in `/` is a folder; anything else one file. */
export const LAYERS: readonly (readonly [string, readonly string[]])[] = [
  ['cli', ['src/cli.ts', 'src/validate-script.ts']],
  ['commands', ['src/commands/']],
  ['config', ['src/config/']],
  ['run', ['src/run/']],
  ['store', ['src/store/']],
  ['signing', ['src/signing/']],
  ['sinks', ['src/sinks/']],
  ['report', ['src/report/']],
  ['record', ['src/record/']],
  ['suite', ['src/suite.ts']],
  ['assert', ['src/assert/']],
  ['probes', ['src/probes/']],
  ['shared', ['src/net/', 'src/process/', 'src/app-context.ts', 'src/duration.ts', 'src/error-words.ts', 'src/json.ts', 'src/log.ts', 'src/log-line.ts', 'src/one-line.ts', 'src/random-id.ts', 'src/regular-file.ts',
    'src/secret-forms.ts', 'src/secrets.ts', 'src/spec-parts.ts', 'src/suggest.ts', 'src/url-password.ts', 'src/version.ts', 'src/zod.ts']],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

function layerOf(file: string): number {
  return LAYERS.findIndex(([, places]) => places.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
}

/** Every relative import, `import type` and `import()` included: a type import ties two layers as much as a value does. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => normalize(join(dirname(file), m[1]!)));
}

const files = sourceFiles('src');

test('every file of src/ belongs to exactly one layer', () => {
  const unplaced = files.filter((f) => layerOf(f) < 0);
  assert.deepEqual(unplaced, [], 'add these to a layer in test/architecture/layers.test.ts and docs/architecture.md');
});

test('imports point down the layers: none reaches a layer above its own', () => {
  const upward: string[] = [];
  for (const file of files) {
    const own = layerOf(file);
    for (const target of importsOf(file)) {
      const theirs = layerOf(target);
      if (theirs >= 0 && theirs < own) upward.push(`${file} (${LAYERS[own]![0]}) imports ${relative('.', target)} (${LAYERS[theirs]![0]})`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the scan sees imports: the runner imports the probe registry and a probe imports nothing above it', () => {
  assert.ok(importsOf('src/run/runner.ts').includes(normalize('src/probes/index.ts')));
  assert.ok(importsOf('src/commands/run.ts').length > 5);
});

test('docs/architecture.md names the layers in the order this test holds', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const line = /^Layers, top to bottom: (.+)$/m.exec(doc);
  assert.ok(line, 'docs/architecture.md has a line "Layers, top to bottom: cli → commands → …"');
  assert.deepEqual(line[1]!.split(' → ').map((s) => s.replace(/`/g, '').trim()), LAYERS.map(([name]) => name));
});
