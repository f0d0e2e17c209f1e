import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/assert/parse.ts';
import type { Assertion } from '../../src/assert/ast.ts';
import type { FieldKinds } from '../../src/probes/types.ts';
import { DNS, HTTP, POSTGRES } from './fields.ts';

function parsed(text: string, fields: FieldKinds = HTTP): Assertion {
  const result = parseAssertion(text, fields);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.message}`);
  return result.assertion;
}

test('a bare path is "is true", a negated one "is false"', () => {
  assert.deepEqual(parsed('connected', POSTGRES), { text: 'connected', path: [{ key: 'connected' }], pathText: 'connected', op: 'true' });
  assert.deepEqual(parsed('  !writable ', POSTGRES), { text: '!writable', path: [{ key: 'writable' }], pathText: 'writable', op: 'false' });
  assert.equal(parsed('! tls.authorized').op, 'false');
});

test('paths: dotted names, indexes, quoted keys with escapes, .length', () => {
  const cases: [string, Assertion['path']][] = [
    ['json.items[0].id == 7', [{ key: 'json' }, { key: 'items' }, { index: 0 }, { key: 'id' }]],
    ['headers["content-type"] contains "json"', [{ key: 'headers' }, { key: 'content-type' }]],
    ["headers['x-a'] == 'b'", [{ key: 'headers' }, { key: 'x-a' }]],
    ['json[ "a \\"b\\" c" ][ 12 ] == 1', [{ key: 'json' }, { key: 'a "b" c' }, { index: 12 }]],
    ['json.x-y.0 == 1', [{ key: 'json' }, { key: 'x-y' }, { key: '0' }]],
    ['records.length >= 2', [{ key: 'records' }, { key: 'length' }]],
    ['replication.lag < 10s', [{ key: 'replication' }, { key: 'lag' }]],
  ];
  for (const [text, path] of cases) {
    const fields = text.startsWith('records') ? DNS : text.startsWith('replication') ? POSTGRES : HTTP;
    assert.deepEqual(parsed(text, fields).path, path, text);
  }
  assert.equal(parsed('headers["content-type"] contains "json"').pathText, 'headers["content-type"]');
});

test('every operator parses, with or without spaces around it', () => {
  const cases: [string, string][] = [
    ['status == 200', '=='], ['status!=500', '!='], ['status < 300', '<'], ['status<=299', '<='],
    ['status > 199', '>'], ['status >=200', '>='], ['body contains "ok"', 'contains'], ['body !contains "err"', '!contains'],
    ['body matches /ok/', 'matches'], ['body !matches /err/', '!matches'], ['status in [200, 204]', 'in'], ['status !in[500]', '!in'],
    ['status>-1', '>'],
  ];
  for (const [text, op] of cases) assert.equal(parsed(text).op, op, text);
});

test('operands of every kind', () => {
  const operand = (text: string, fields: FieldKinds = HTTP) => {
    const a = parsed(text, fields);
    assert.ok('operand' in a);
    return a.operand;
  };
  assert.deepEqual(operand('status == 200'), { kind: 'number', value: 200 });
  assert.deepEqual(operand('json.x == -1.25'), { kind: 'number', value: -1.25 });
  assert.deepEqual(operand('json.x == 1e3'), { kind: 'number', value: 1000 });
  assert.deepEqual(operand('tls.expiresIn > 1m30s'), { kind: 'duration', ms: 90_000, text: '1m30s' });
  assert.deepEqual(operand('duration < 250ms'), { kind: 'duration', ms: 250, text: '250ms' });
  assert.deepEqual(operand("body == 'it\\'s \\\\ \"ok\"'"), { kind: 'string', value: 'it\'s \\ "ok"' });
  assert.deepEqual(operand('body == "say \\"hi\\""'), { kind: 'string', value: 'say "hi"' });
  assert.deepEqual(operand('body == ""'), { kind: 'string', value: '' });
  assert.deepEqual(operand('tls.authorized == false'), { kind: 'boolean', value: false });
  assert.deepEqual(operand('json == null'), { kind: 'null' });
  assert.deepEqual(operand('body matches /^a\\/b[/]c$/im'), { kind: 'regex', source: '^a\\/b[/]c$', flags: 'im' });
  assert.deepEqual(operand('json.x in [1, "a", [true, null]]'), {
    kind: 'list',
    items: [{ kind: 'number', value: 1 }, { kind: 'string', value: 'a' }, { kind: 'list', items: [{ kind: 'boolean', value: true }, { kind: 'null' }] }],
  });
  assert.deepEqual(operand('status in []'), { kind: 'list', items: [] });
  assert.deepEqual(operand('replication.lag in [1s, 2s,]', POSTGRES), {
    kind: 'list', items: [{ kind: 'duration', ms: 1000, text: '1s' }, { kind: 'duration', ms: 2000, text: '2s' }],
  });
});

test('duration is a field of every probe type; below any-fields anything goes', () => {
  for (const fields of [HTTP, DNS, POSTGRES, {}]) assert.ok(parseAssertion('duration < 2s', fields).ok);
  for (const text of ['json.a.b[3]["c d"].length == 1', 'headers.x matches /y/', 'json.t < 5s', 'json == [1, 2]']) parsed(text);
  for (const text of ['rows[0].name == "a"', 'row.id == 1', 'value > 100', 'value']) parsed(text, POSTGRES);
});

test('the text is kept trimmed', () => {
  assert.equal(parsed('   status   ==   200  ').text, 'status   ==   200');
});
