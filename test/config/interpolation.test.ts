// `${env:…}`, `${file:…}`, `$${`, numbers read again from unquoted values, and secrets registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { clearSecrets, redact } from '../../src/secrets.ts';
import type { Suite } from '../../src/suite.ts';
import { tempFiles } from '../support/cli.ts';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

async function load(t: { after: (fn: () => void) => void }, files: Record<string, string>, env: NodeJS.ProcessEnv): Promise<{ suite: Suite; dir: string }> {
  const tmp = tempFiles(files);
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), env);
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  return { suite: result.suite, dir: tmp.dir };
}

test('env, env with fallback, file (one trailing newline trimmed) and $${', async (t) => {
  clearSecrets();
  t.after(clearSecrets);
  const yaml = [
    'probes:',
    '  - name: api',
    '    type: http',
    '    url: http://${env:HOST}:${env:PORT:-8080}/${env:MISSING:-}x',
    '    headers:',
    '      authorization: "Bearer ${file:token.txt}"',
    '      x-literal: "$${env:HOST} costs $5 and ${env:EMPTY}|"',
    '    method: ${env:METHOD:-GET}',
    '    body: "${file:body.txt}"',
    '',
  ].join('\n');
  const files = { 'suite.yaml': yaml, 'token.txt': 's3cr3t-token\n', 'body.txt': 'two\nlines\n\n' };
  const { suite } = await load(t, files, { HOST: 'api.internal', EMPTY: '' });
  const spec = suite.probes[0]!.spec as { url: string; headers: Record<string, string>; method: string; body: string };
  assert.equal(spec.url, 'http://api.internal:8080/x');
  assert.equal(spec.headers.authorization, 'Bearer s3cr3t-token');
  assert.equal(spec.body, 'two\nlines\n');
  assert.equal(spec.headers['x-literal'], '${env:HOST} costs $5 and |');
  assert.equal(spec.method, 'GET');
});

test('an unquoted interpolated value is read again as YAML; a quoted one stays text', async (t) => {
  const yaml = 'probes:\n  - name: db\n    type: tcp\n    host: "${env:PORT}"\n    port: ${env:PORT}\n    passes: ${env:PASSES:-2}\n';
  const { suite } = await load(t, { 'suite.yaml': yaml }, { PORT: '5432' });
  assert.deepEqual(suite.probes[0]!.spec, { host: '5432', port: 5432 });
  assert.equal(suite.probes[0]!.timing.passes, 2);

  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: h\n    port: "${env:PORT}"\n' });
  t.after(tmp.cleanup);
  const quoted = await loadSuite(tmp.path('suite.yaml'), { PORT: '5432' });
  assert.equal(quoted.ok, false);
  assert.equal(quoted.ok ? '' : formatConfigErrors(quoted.errors), `${tmp.path('suite.yaml')}:5:11  probes["db"].port  must be a number, got "***"`, 'the interpolated value is masked in the error');
});

test('every interpolated value is registered as a secret, nothing else is', async (t) => {
  clearSecrets();
  t.after(clearSecrets);
  const yaml = 'probes:\n  - name: db\n    type: tcp\n    host: ${env:DB_HOST}\n    port: ${env:DB_PORT:-6543}\n    expect: ["${file:expect.txt}"]\n';
  const env = { DB_HOST: 'orders-db.internal' };
  await load(t, { 'suite.yaml': yaml, 'expect.txt': 'connected\n' }, env);
  assert.equal(redact('host orders-db.internal port 6543 expect connected, probe db'), 'host *** port *** expect ***, probe db');
});

test('an interpolation error is reported once, without follow-up errors for the same value', async (t) => {
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: h\n    port: ${env:DB_PORT}\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), {});
  assert.equal(result.ok, false);
  assert.equal(result.ok ? '' : formatConfigErrors(result.errors),
    `${tmp.path('suite.yaml')}:5:11  probes["db"].port  environment variable DB_PORT is not set: pass it from a Secret (in the chart: env with valueFrom.secretKeyRef); a value that is no secret can be \${var:DB_PORT:-default}`);
});

test('a directory given to ${file:} is an unreadable file', async (t) => {
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: ${file:/}\n    port: 1\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), {});
  assert.equal(result.ok ? '' : formatConfigErrors(result.errors), `${tmp.path('suite.yaml')}:4:11  probes["db"].host  cannot read file / (it is a directory)`);
});

test('${app:FIELD} and ${var:NAME} are shown as they are: not secrets, never masked', async (t) => {
  clearSecrets();
  t.after(clearSecrets);
  const yaml = [
    'probes:',
    '  - name: version',
    '    type: http',
    '    url: http://${var:API_HOST:-api.internal}:8080/${app:namespace}/${var:API_PATH}',
    '    headers: { x-app: "${app:name} ${app:project} ${app:repoURL}" }',
    '    expect: [\'json.version == "${app:revision}"\', \'json.short == "${app:revisionShort}"\']',
    '',
  ].join('\n');
  const env = {
    ARGOCD_APP_NAME: 'orders', ARGOCD_APP_NAMESPACE: 'shop', ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: '3f2a9c1d0e5b', ARGOCD_APP_SOURCE_REPO_URL: 'https://ghp_tok3n@github.com/acme/orders.git', API_PATH: 'version',
  };
  const { suite } = await load(t, { 'suite.yaml': yaml }, env);
  const spec = suite.probes[0]!.spec as { url: string; headers: Record<string, string> };
  assert.equal(spec.url, 'http://api.internal:8080/shop/version');
  assert.equal(spec.headers['x-app'], 'orders default https://github.com/acme/orders.git', 'the repository without its user info');
  assert.deepEqual(suite.probes[0]!.expect.map((a) => a.text), ['json.version == "3f2a9c1d0e5b"', 'json.short == "3f2a9c1"']);
  assert.equal(redact('orders 3f2a9c1d0e5b api.internal shop version'), 'orders 3f2a9c1d0e5b api.internal shop version', 'nothing was registered as a secret');
});

test('${app:} and ${var:} errors: an unknown field with a hint, an unset variable', async (t) => {
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: v\n    type: http\n    url: http://h/${app:revison}\n    headers: { a: "${app:revision}", b: "${var:NOPE}" }\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), {});
  assert.equal(result.ok ? '' : formatConfigErrors(result.errors).replaceAll(`${tmp.path('suite.yaml')}:`, ''), [
    '4:10  probes["v"].url  unknown field "revison" in ${app:revison} (did you mean "revision"?); fields: name, namespace, project, revision, revisionShort, repoURL',
    '5:19  probes["v"].headers.a  ${app:revision} needs ARGOCD_APP_REVISION, which is not set (the chart sets it from its `app` values; `syncproof validate --offline` checks a suite without it)',
    '5:41  probes["v"].headers.b  environment variable NOPE is not set (give a default with ${var:NOPE:-value})',
  ].join('\n'));
});

test('a secret whose value is also a word of the suite is a load-time warning that names where, never the value', async (t) => {
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: postgres primary\n    type: postgres\n    url: postgres://app@127.0.0.1:5432/orders\n    password: ${env:DB_PASSWORD}\n  - name: token\n    type: http\n    url: http://h/\n    headers: { authorization: "${env:TOKEN:-not-a-word-here}" }\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), { DB_PASSWORD: 'postgres' });
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.equal(formatConfigErrors(result.warnings).replaceAll(`${tmp.path('suite.yaml')}:`, ''),
    `5:15  probes["postgres primary"].password  the secret interpolated here also occurs in the suite's own text at line 2, column 11: it is shown as *** there too (in names, URLs, reports and records); use a secret that is not also a word of the suite`);
  assert.ok(!result.warnings[0]!.message.includes('postgres'), 'the message never holds the value');
});

test('${file:} reads only a regular file of at most 1 MiB: a FIFO (which would block forever), a device, a larger file', async (t) => {
  const tmp = tempFiles({});
  t.after(tmp.cleanup);
  execFileSync('mkfifo', [tmp.path('fifo')]);
  writeFileSync(tmp.path('big'), Buffer.alloc(1024 * 1024 + 1, 'x'));
  const cases: [string, string][] = [
    [tmp.path('fifo'), 'it is a FIFO, not a regular file'],
    ['/dev/zero', 'it is a character device, not a regular file'],
    [tmp.path('big'), 'it is larger than 1 MiB'],
  ];
  for (const [path, problem] of cases) {
    writeFileSync(tmp.path('suite.yaml'), `probes:\n  - name: db\n    type: tcp\n    host: \${file:${path}}\n    port: 1\n`);
    const result = await loadSuite(tmp.path('suite.yaml'), {});
    assert.equal(result.ok ? '' : formatConfigErrors(result.errors), `${tmp.path('suite.yaml')}:4:11  probes["db"].host  cannot read file ${path} (${problem})`);
  }
});

test('a secret read again as a number is masked in the form an error prints it (000731955028 → 731955028, hex → decimal)', async (t) => {
  clearSecrets();
  t.after(clearSecrets);
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n    timeout: ${env:HEX}\n  - name: b\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n    timeout: ${env:ZEROS}\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), { HEX: '0x7fe3a91c', ZEROS: '000731955028' });
  const text = redact(result.ok ? '' : formatConfigErrors(result.errors));
  assert.match(text, /probes\["db"\]\.timeout {2}must be a duration .*, got number \*\*\*$/m);
  assert.match(text, /probes\["b"\]\.timeout {2}must be a duration .*, got number \*\*\*$/m);
  assert.doesNotMatch(text, /2145626396|731955028/);
});
