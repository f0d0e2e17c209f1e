import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/signing/canonical.ts';
import type { JsonValue } from '../../src/probes/types.ts';

test('RFC 8785 §3.2.2: numbers as ECMAScript writes them, strings with the minimal escapes, keys sorted', () => {
  const input = JSON.parse(String.raw`{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}`) as JsonValue;
  assert.equal(canonicalJson(input), String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
});

test('RFC 8785 §3.2.3: keys ordered by UTF-16 code units, not by code points or locale', () => {
  const input = JSON.parse(String.raw`{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}`) as Record<string, JsonValue>;
  const text = canonicalJson(input);
  const positions = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(JSON.stringify(k) + ':'));
  assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), text);
});

test('nested objects and arrays, no whitespace, -0 as 0, array order kept', () => {
  assert.equal(canonicalJson({ b: [3, { z: 1, a: -0 }], a: 'x', c: {} }), '{"a":"x","b":[3,{"a":0,"z":1}],"c":{}}');
});
