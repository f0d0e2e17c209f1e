// YAML as Helm values and Kubernetes manifests are written: merge keys, and the flow-collection pitfall of `${…}`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { tempFiles } from '../support/cli.ts';

async function load(t: { after: (fn: () => void) => void }, yaml: string, env: NodeJS.ProcessEnv = {}) {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), env);
  return { result, text: result.ok ? '' : formatConfigErrors(result.errors).replaceAll(files.path('suite.yaml'), 'suite.yaml') };
}

test('merge keys: <<: *anchor and <<: [*a, *b] fill the keys a mapping does not set itself', async (t) => {
  const { result, text } = await load(t, [
    'defaults: &timing { timeout: 2s, within: 10s }',
    'probes:',
    '  - &db',
    '    name: primary port',
    '    type: tcp',
    '    host: 10.0.0.1',
    '    port: 5432',
    '    <<: *timing',
    '  - <<: *db',
    '    name: replica port',
    '    host: 10.0.0.2',
    '  - name: other port',
    '    <<: [{ port: 6432, severity: warning }, *db]',
    '',
  ].join('\n'));
  assert.ok(result.ok, text);
  assert.deepEqual(result.suite.probes.map((p) => [p.name, p.spec, p.timing.timeoutMs, p.timing.severity]), [
    ['primary port', { host: '10.0.0.1', port: 5432 }, 2000, 'critical'],
    ['replica port', { host: '10.0.0.2', port: 5432 }, 2000, 'critical'],
    ['other port', { host: '10.0.0.1', port: 6432 }, 2000, 'warning'],
  ]);
});

test('a merged key is checked where it was written; a merge of a scalar is an error at <<', async (t) => {
  const { text } = await load(t, 'probes:\n  - &base\n    name: a\n    type: tcp\n    host: h\n    port: 70000\n  - name: b\n    <<: *base\n  - name: c\n    type: tcp\n    <<: 5\n');
  assert.equal(text, [
    'suite.yaml:6:11  probes["a"].port  must be at most 65535',
    'suite.yaml:6:11  probes["b"].port  must be at most 65535',
    'suite.yaml:11:5  probes["c"]["<<"]  YAML: a merge key (<<) takes a mapping or a list of them, e.g. <<: *defaults',
    'suite.yaml:9:5  probes["c"].host  missing required key "host"',
    'suite.yaml:9:5  probes["c"].port  missing required key "port"',
  ].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])).join('\n'));
});

test('an unquoted ${…} in a flow mapping or list: one error that says to quote it, not a cascade', async (t) => {
  const headers = await load(t, 'probes:\n  - name: api\n    type: http\n    url: http://api/\n    headers: { authorization: Bearer ${env:TOKEN} }\n', { TOKEN: 'x' });
  assert.equal(headers.text, 'suite.yaml:5:38  YAML: an unquoted ${…} inside { } or [ ] ends the value at its "{": quote the value, e.g. "Bearer ${env:TOKEN}"');
  const expect = await load(t, 'probes:\n  - name: api\n    type: http\n    url: http://api/\n    expect: [status == 200, json.version == ${app:revision}]\n');
  assert.equal(expect.text, 'suite.yaml:5:45  YAML: an unquoted ${…} inside { } or [ ] ends the value at its "{": quote the value, e.g. "json.version == ${app:revision}"');
  const quoted = await load(t, 'probes:\n  - name: api\n    type: http\n    url: http://api/\n    headers: { authorization: "Bearer ${env:TOKEN}" }\n', { TOKEN: 'x' });
  assert.ok(quoted.result.ok, quoted.text);
});
