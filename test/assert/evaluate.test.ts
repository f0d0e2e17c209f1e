import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/assert/parse.ts';
import { describeFailure, evaluate } from '../../src/assert/evaluate.ts';
import type { Assertion } from '../../src/assert/ast.ts';
import type { FieldKinds, Observed } from '../../src/probes/types.ts';
import { DNS, HTTP, POSTGRES } from './fields.ts';

const HTTP_OBSERVED: Observed = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-count': '3' },
  body: '{"items":[{"id":7,"tags":["a","b"]}],"length":3}',
  json: { items: [{ id: 7, tags: ['a', 'b'], 'odd key': 'yes' }], length: 3, version: 1.5, ok: true, off: false, nothing: null, list: [1, 2, 3] },
  tls: { authorized: true, expiresIn: 47_000, issuer: 'CN=Test CA', subject: 'CN=localhost' },
  duration: 35,
};
const DNS_OBSERVED: Observed = { rcode: 'NOERROR', records: ['10.0.0.1', '10.0.0.2'], duration: 4 };
const PG_OBSERVED: Observed = { connected: true, writable: false, role: 'replica', replication: { lag: 47_000, replicas: 0 }, rowCount: 1, duration: 12 };

function parse(text: string, fields: FieldKinds): Assertion {
  const result = parseAssertion(text, fields);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.message}`);
  return result.assertion;
}

function passes(text: string, fields: FieldKinds = HTTP, observed: Observed = HTTP_OBSERVED): boolean {
  return evaluate(parse(text, fields), observed, fields).passed;
}

/** Each operator with assertions that must pass and assertions that must fail against HTTP_OBSERVED. */
const TABLE: Record<string, { pass: string[]; fail: string[] }> = {
  'bare path': { pass: ['tls.authorized', 'json.ok'], fail: ['json.off', 'json.nothing', 'json.version', 'json.items'] },
  'negated path': { pass: ['!json.off'], fail: ['!tls.authorized', '!json.nothing', '!json.version'] },
  '==': {
    pass: ['status == 200', 'json.version == 1.5', 'json.nothing == null', 'json.ok == true', 'json.list == [1, 2, 3]',
      'json.items[0].tags == ["a", \'b\']', 'tls.expiresIn == 47s', 'tls.issuer == "CN=Test CA"',
      'json.items[0]["odd key"] == "yes"'],
    fail: ['status == 201', 'json.list == [1, 2]', 'json.list == [3, 2, 1]', 'json.version == "1.5"', 'json.nothing == false', 'tls.expiresIn == 46s'],
  },
  '!=': { pass: ['status != 500', 'json.list != [1]', 'tls.expiresIn != 1m'], fail: ['status != 200', 'json.items[0].tags != ["a", "b"]'] },
  '<': { pass: ['status < 300', 'tls.expiresIn < 1m', 'json.version < 2', 'duration < 1s'], fail: ['status < 200', 'tls.expiresIn < 47s', 'json.ok < 1', 'headers["x-count"] < 4'] },
  '<=': { pass: ['status <= 200', 'tls.expiresIn <= 47s'], fail: ['status <= 199', 'json.nothing <= 1'] },
  '>': { pass: ['status > 199', 'json.version > -1', 'tls.expiresIn > 46s'], fail: ['status > 200', 'json.items > 0'] },
  '>=': { pass: ['status >= 200', 'body.length >= 10', 'json.items[0].tags.length >= 2'], fail: ['status >= 201', 'json.list.length >= 4'] },
  contains: {
    pass: ['headers["content-type"] contains "json"', 'json.list contains 2', 'json.items[0].tags contains "b"', 'json.list contains 3', 'json contains "items"', 'body contains \'"id":7\''],
    fail: ['headers["content-type"] contains "xml"', 'json.list contains "2"', 'json contains "missing"', 'json.version contains "1"', 'json.items[0] contains 7'],
  },
  '!contains': { pass: ['body !contains "error"', 'json.list !contains 4', 'json !contains "x"'], fail: ['body !contains "items"', 'json.list !contains 1', 'json !contains "items"'] },
  matches: {
    pass: ['body matches /"id":\\d+/', 'tls.issuer matches /^cn=test/i', 'status matches /^2\\d\\d$/', 'json.version matches /^1\\.5$/', 'body matches /items/g'],
    fail: ['tls.issuer matches /^cn=test/', 'status matches /^3/', 'json.ok matches /true/', 'json.list matches /1/'],
  },
  '!matches': { pass: ['body !matches /error/i', 'status !matches /^5/'], fail: ['body !matches /ITEMS/i', 'status !matches /00$/'] },
  in: { pass: ['status in [200, 204]', 'json.list in [[1, 2, 3], null]', 'tls.expiresIn in [47s, 1m]', 'json.nothing in [null]'], fail: ['status in [201, 204]', 'status in []', 'json.version in ["1.5"]'] },
  '!in': { pass: ['status !in [500, 503]', 'status !in []'], fail: ['status !in [200]', 'tls.expiresIn !in [47000ms]'] },
};

for (const [operator, { pass, fail }] of Object.entries(TABLE)) {
  test(`${operator}: passes and fails`, () => {
    for (const text of pass) assert.equal(passes(text), true, `${text} should pass`);
    for (const text of fail) assert.equal(passes(text), false, `${text} should fail`);
  });
}

test('a regex with the g flag gives the same answer every time', () => {
  const assertion = parse('body matches /items/g', HTTP);
  for (let i = 0; i < 3; i++) assert.equal(evaluate(assertion, HTTP_OBSERVED, HTTP).passed, true);
});

test('a missing path fails every operator, negated ones too, and shows <missing>', () => {
  const texts = ['json.absent', '!json.absent', 'json.absent == null', 'json.absent != 1', 'json.absent < 1', 'json.absent >= 1s',
    'json.absent contains "a"', 'json.absent !contains "a"', 'json.absent matches /x/', 'json.absent !matches /x/',
    'json.absent in [1]', 'json.absent !in [1]', 'json.items[5].id !in [1]', 'json.list[0].x != 1', 'json.version.length != 1',
    'json.ok.x !contains "a"', 'headers["x-absent"] !contains "a"'];
  for (const text of texts) {
    const result = evaluate(parse(text, HTTP), HTTP_OBSERVED, HTTP);
    assert.deepEqual(result, { expect: text, actual: '<missing>', passed: false }, text);
  }
  const lag = evaluate(parse('replication.lag < 10s', POSTGRES), { connected: false }, POSTGRES);
  assert.deepEqual(lag, { expect: 'replication.lag < 10s', actual: '<missing>', passed: false });
});

test('.length reads lists and text, but an object\'s own length key wins', () => {
  assert.equal(evaluate(parse('records.length == 2', DNS), DNS_OBSERVED, DNS).actual, '2');
  assert.equal(passes('records.length > 0', DNS, DNS_OBSERVED), true);
  assert.equal(passes('records.length > 0', DNS, { rcode: 'NXDOMAIN', records: [] }), false);
  assert.equal(passes('json.length == 3'), true);
  assert.equal(passes('json.items.length == 1'), true);
  assert.equal(passes('json.items[0].id.length == 1'), false);
  assert.equal(passes('rcode.length == 7', DNS, DNS_OBSERVED), true);
});

test('results carry the trimmed text and the actual value in human units', () => {
  const fields = POSTGRES;
  const cases: [string, string, boolean][] = [
    ['  replication.lag < 10s ', '47s', false],
    ['replication.lag >= 47000ms', '47s', true],
    ['replication.replicas == 0', '0', true],
    ['role == "primary"', '"replica"', false],
    ['!writable', 'false', true],
    ['duration < 1s', '12ms', true],
  ];
  for (const [text, actual, passed] of cases) {
    assert.deepEqual(evaluate(parse(text, fields), PG_OBSERVED, fields), { expect: text.trim(), actual, passed }, text);
  }
});

test('describeFailure says the path, the actual value and the expectation', () => {
  const describe = (text: string, fields: FieldKinds, observed: Observed): string => {
    const assertion = parse(text, fields);
    return describeFailure(assertion, evaluate(assertion, observed, fields));
  };
  assert.equal(describe('replication.lag < 10s', POSTGRES, PG_OBSERVED), 'replication.lag = 47s (expected < 10s)');
  assert.equal(describe('connected', POSTGRES, { connected: false }), 'connected = false (expected true)');
  assert.equal(describe('!connected', POSTGRES, PG_OBSERVED), 'connected = true (expected false)');
  assert.equal(describe('json.id == 7', HTTP, HTTP_OBSERVED), 'json.id = <missing> (expected == 7)');
  assert.equal(describe("role == 'primary'", POSTGRES, PG_OBSERVED), 'role = "replica" (expected == "primary")');
  assert.equal(describe('headers["content-type"] !matches /JSON/i', HTTP, HTTP_OBSERVED),
    'headers["content-type"] = "application/json; charset=utf-8" (expected !matches /JSON/i)');
  assert.equal(describe('status in [201, 204]', HTTP, HTTP_OBSERVED), 'status = 200 (expected in [201, 204])');
  assert.equal(describe('records.length >= 3', DNS, DNS_OBSERVED), 'records.length = 2 (expected >= 3)');
  assert.equal(describe('records contains "10.0.0.9"', DNS, DNS_OBSERVED), 'records = ["10.0.0.1", "10.0.0.2"] (expected contains "10.0.0.9")');
});
