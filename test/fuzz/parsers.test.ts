// Property-based fuzzing, in process, of the three parsers that read what users write: the loader
// (loadSuite), the interpolation and the assertion parser. None may throw; every failure is a
// positioned configuration error. FUZZ_RUNS=N runs N cases per property (default 1000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSuite } from '../../src/config/load.ts';
import { interpolate } from '../../src/config/interpolate.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { tempFiles } from '../support/cli.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const counts: Record<string, number> = {};

/** Runs the property and counts the cases it really ran. */
async function check<T>(name: string, arb: fc.Arbitrary<T>, property: (value: T) => Promise<void> | void): Promise<void> {
  let ran = 0;
  await fc.assert(fc.asyncProperty(arb, async (value) => { ran++; await property(value); }), { numRuns: RUNS });
  counts[name] = (counts[name] ?? 0) + ran;
}

/** Pieces of the languages under test, so random strings often get deep into the parsers. */
const fragment = (words: readonly string[]) => fc.oneof(
  fc.constantFrom(...words),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
);
const soup = (words: readonly string[], maxLength: number) => fc.array(fragment(words), { maxLength }).map((parts) => parts.join(''));

const ASSERTION_WORDS = [
  'status', 'json', 'headers', 'body', 'duration', 'tls', '.expiresIn', '.length', '[0]', '["a b"]', '[', ']', '.', '!',
  ' ', '==', '!=', '<', '<=', '>=', 'contains', '!contains', 'matches', '!matches', 'in', '!in', '200', '-1.5e3', '5s',
  '1m30s', '14d', "'x'", '"y\\"', 'true', 'false', 'null', '/a+/i', '/(/', '[1, 2]', '[', ',', '"', "'", '\\', '/', '\u0000',
];

test('parseAssertion returns an assertion or a positioned error, never throws', async () => {
  for (const [type, probe] of Object.entries(probeTypes)) {
    await check(`parseAssertion (${type})`, soup(ASSERTION_WORDS, 12), (text) => {
      const result = parseAssertion(text, probe.fields);
      if (result.ok) assert.equal(typeof result.assertion.op, 'string');
      else {
        assert.ok(result.message.length > 0, JSON.stringify(text));
        assert.ok(result.offset >= 0 && result.offset <= text.length, `offset ${result.offset} in ${JSON.stringify(text)}`);
      }
    });
  }
});

test('interpolation substitutes or explains, never throws', async (t) => {
  const files = tempFiles({ secret: 's3cr3t-value\n', empty: '' });
  t.after(files.cleanup);
  const env = { A: 'alpha', EMPTY: '', B_2: '${env:A}' };
  const words = ['${', '$${', '}', '$', 'env:', 'file:', 'A', 'B_2', 'EMPTY', 'UNSET', ':-', 'fallback', 'secret', 'empty', 'missing', '/', '../'];
  await check('interpolate', soup(words, 14), (text) => {
    const result = interpolate(text, env, files.dir);
    if (!result.ok) {
      assert.ok(result.messages.length > 0 && result.messages.every((m) => m.length > 0));
      return;
    }
    if (!text.includes('${')) assert.equal(result.value, text);
    // Substituted values are never interpolated again: ${env:B_2} gives the text "${env:A}".
    for (const value of result.substituted) assert.ok(result.value.includes(value));
  });
  await check('interpolate (values round-trip)', fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
    const result = interpolate('pre ${env:V} post', { V: value }, files.dir);
    assert.deepEqual(result.ok && result.value, `pre ${value} post`);
  });
});

/** Suite-shaped documents: the right keys with random values, and random keys. */
const KEYS = ['suite', 'concurrency', 'deadline', 'defaults', 'timeout', 'within', 'interval', 'passes', 'severity', 'probes', 'sinks',
  'name', 'type', 'url', 'host', 'port', 'after', 'expect', 'query', 'record', 'server', 'on', 'required', 'path', 'headers', 'tls', 'insecure'];
const scalar = fc.oneof(
  fc.constantFrom('http', 'tcp', 'dns', 'tls', 'postgres', 'mysql', 'redis', 'webhook', 'file', '5s', '0s', 'critical', 'http://127.0.0.1:1',
    'status == 200', '${env:A}', '${env:UNSET}', '$${x}', 'a', 'a'),
  fc.string({ unit: 'binary', maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
);
const documentArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('dict')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  dict: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 6 }),
})).dict as fc.Arbitrary<unknown>;

/** Well-formed YAML of suite-like documents, sometimes cut or spliced with junk. */
const suiteText = fc.tuple(documentArb, fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('keep', 'cut', 'splice'))
  .map(([doc, at, junk, how]) => {
    const text = stringify(doc);
    const i = at % (text.length + 1);
    return how === 'keep' ? text : how === 'cut' ? text.slice(0, i) : text.slice(0, i) + junk + text.slice(i);
  });

test('loadSuite gives a frozen suite or positioned errors in that file, never throws', async (t) => {
  const files = tempFiles({});
  t.after(files.cleanup);
  const path = files.path('suite.yaml');
  const env = { A: 'alpha' };
  const yamlWords = ['probes:', 'suite: s', '\n', '  ', '- ', 'name: a', 'type: tcp', 'host: h', 'port: 1', '[', ']', '{', '}', ',', ':', '&a', '*a',
    '!!str', '? ', '#', '"', "'", '|', '>', '---', '...', '%YAML 1.2', '\t', '${env:A}', '${'];
  const property = async (text: string) => {
    writeFileSync(path, text);
    const result = await loadSuite(path, env);
    if (result.ok) {
      assert.ok(Object.isFrozen(result.suite) && result.suite.probes.length > 0);
      return;
    }
    const lines = text.split(/\r\n|\r|\n/).length;
    for (const e of result.errors) {
      assert.equal(e.at.file, path);
      assert.ok(e.at.line >= 1 && e.at.line <= lines + 1 && e.at.col >= 1, `${e.at.line}:${e.at.col} of ${lines} lines: ${e.message}`);
      assert.ok(e.message.length > 0);
    }
  };
  await check('loadSuite (suite-shaped YAML)', suiteText, property);
  await check('loadSuite (YAML token soup)', soup(yamlWords, 30), property);
});

test('fuzz counts', () => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.ok(total > 0);
  console.log(`# fuzz cases run (FUZZ_RUNS=${RUNS}): ${total} in all; ${JSON.stringify(counts)}`);
});
