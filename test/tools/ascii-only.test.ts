// tools/ascii-only.ts: every chunk of dist/ made ASCII without changing what it means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiOnly } from '../../tools/ascii-only.ts';

const run = (source: string): unknown => new Function(`return (\n${source}\n);`)();

test('comments and regular expression literals become ASCII and mean the same', () => {
  const sources = [
    "/^… \\[truncated, (\\d+) items\\]$/.test('… [truncated, 3 items]') // a comment — with a dash",
    "/(ns|us|µs|ms)/.exec('5µs')[1]",
    "/[😀-😂]/u.test('😁') && /^😀$/.test('\\ud83d\\ude00') && /^.$/u.test('😀')",
    "/[à-ÿ]+/i.exec('ÀÉ')[0]",
  ];
  for (const source of sources) {
    const result = asciiOnly(source);
    assert.ok(result.ok);
    assert.doesNotMatch(result.text, /[^\0-\x7f]/);
    assert.deepEqual(run(result.text), run(source), source);
  }
});

test('ASCII text is returned as it is', () => {
  assert.deepEqual(asciiOnly('const a = "\\u2014"; // plain'), { ok: true, text: 'const a = "\\u2014"; // plain' });
});

test('a character beyond ASCII after a backslash is refused, not guessed at', () => {
  assert.equal(asciiOnly("/\\é/.test('é')").ok, false);
});

test('a tagged template, whose raw text a program reads, or a name beyond ASCII is refused', () => {
  for (const source of ['String.raw`µs`.length', '((s) => s.raw[0])`é`', '`untagged µs`', 'const café = 1']) {
    assert.equal(asciiOnly(source).ok, false, source);
  }
  assert.ok(asciiOnly('String.raw`ascii` // but a comment: µs').ok);
});

test('a line separator or a byte order mark is refused: escaped, it would no longer end a comment or be whitespace', () => {
  for (const source of ['1 // a\u2028 + 1', '\ufeff1']) assert.equal(asciiOnly(JSON.parse(`"${source}"`)).ok, false, source);
});
