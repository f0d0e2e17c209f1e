// The SPEC is the project's contract and does not ship: a user reading a comment in src/ (dist is built from
// it), the JSON Schema an editor shows, the chart, the hooks, the examples or the docs must be pointed at the
// docs (docs/suite.md, docs/assertions.md…), never at `SPEC §N`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What the package, the image and the chart ship, and what a user reads beside them. */
const SHIPPED = ['src', 'schema', 'chart', 'hooks', 'examples', 'docs', 'bin', 'README.md', 'Dockerfile'];
const SPEC = /\bSPEC\b/;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.split('/').includes('node_modules'))
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

/** `path:line: text` of every line naming the SPEC. */
function specReferences(files: readonly string[]): string[] {
  return files.flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
    SPEC.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 120)}`] : []));
}

test('no shipped text refers to the SPEC (src, the JSON Schema, the chart, hooks, examples, docs, README)', () => {
  const files = SHIPPED.flatMap((name) => filesUnder(join(ROOT, name)));
  assert.ok(files.some((file) => file.endsWith('suite.schema.json')) && files.some((file) => file.endsWith('.ts')), 'the shipped trees were read');
  const found = specReferences(files);
  assert.deepEqual(found, [], `link the docs instead of the SPEC:\n${found.join('\n')}`);
});

test('a SPEC reference is found and named with its file and line', () => {
  const file = join(ROOT, 'test', 'docs', 'spec-references.test.ts');
  const found = specReferences([file]);
  assert.ok(found.length > 0 && found.every((line) => line.startsWith('test/docs/spec-references.test.ts:')), found.join('\n'));
});
