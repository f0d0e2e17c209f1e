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
  const result = asciiOnly("/\\é/.test('é')");
  assert.equal(result.ok, false);
});
