// A zod schema reads zod's global settings when it is built, so syncproof's are set in src/zod.ts, and every
// module that builds a schema takes `z` from there: ES modules evaluate an import before its importer, so no
// schema exists before the settings do (docs/PERFORMANCE.md). A type-only import of zod builds nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from 'zod/mini';
import { z } from '../../src/zod.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');

test('no module of src/ but src/zod.ts imports a value from zod', () => {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'zod.ts');
  const direct = files.filter((f) => /^import\s+(?!type\b)[^;]*from\s+'zod(?:\/[^']*)?'/m.test(readFileSync(join(SRC, f), 'utf8')));
  assert.deepEqual(direct, []);
});

test('a schema built from src/zod.ts parses without compiling code (jitless)', () => {
  assert.equal(config().jitless, true);
  const schema = z.strictObject({ a: z.number() });
  const calls: string[] = [];
  const original = globalThis.Function;
  globalThis.Function = new Proxy(original, { construct: (target, args: string[]) => { calls.push(args.join(',')); return Reflect.construct(target, args); } });
  try {
    assert.deepEqual(schema.parse({ a: 1 }), { a: 1 });
  } finally {
    globalThis.Function = original;
  }
  assert.deepEqual(calls, []);
});
