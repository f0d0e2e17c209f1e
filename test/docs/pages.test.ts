// Every registered probe type has its docs page and every sink type its section: a new type without
// them fails here, derived from the registries rather than from a list someone must remember to extend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');

test('every probe type has docs/probes/<type>.md', () => {
  for (const type of Object.keys(probeTypes)) assert.ok(existsSync(join(DOCS, 'probes', `${type}.md`)), `docs/probes/${type}.md`);
});

test('every sink type has its section in docs/sinks.md', () => {
  const headings = [...readFileSync(join(DOCS, 'sinks.md'), 'utf8').matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
  for (const type of Object.keys(sinkTypes)) assert.ok(headings.includes(type), `docs/sinks.md: ## ${type}`);
});

test('the README links every probe type\'s page', () => {
  const readme = readFileSync(join(DOCS, '..', 'README.md'), 'utf8');
  for (const type of Object.keys(probeTypes)) assert.ok(readme.includes(`(docs/probes/${type}.md)`), `README.md links docs/probes/${type}.md`);
});
