// `${env:…}`, `${file:…}`, `$${`, numbers read again from unquoted values, and secrets registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { clearSecrets, redact } from '../../src/secrets.ts';
import type { Suite } from '../../src/config/types.ts';
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
  assert.equal(quoted.ok ? '' : formatConfigErrors(quoted.errors), `${tmp.path('suite.yaml')}:5:11  probes[0].port  must be a number, got "***"`, 'the interpolated value is masked in the error');
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
    `${tmp.path('suite.yaml')}:5:11  probes[0].port  environment variable DB_PORT is not set (give a fallback with \${env:DB_PORT:-value})`);
});

test('a directory given to ${file:} is an unreadable file', async (t) => {
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: ${file:/}\n    port: 1\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), {});
  assert.equal(result.ok ? '' : formatConfigErrors(result.errors), `${tmp.path('suite.yaml')}:4:11  probes[0].host  cannot read file / (it is a directory)`);
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
    assert.equal(result.ok ? '' : formatConfigErrors(result.errors), `${tmp.path('suite.yaml')}:4:11  probes[0].host  cannot read file ${path} (${problem})`);
  }
});

test('a secret read again as a number is masked in the form an error prints it (000731955028 → 731955028, hex → decimal)', async (t) => {
  clearSecrets();
  t.after(clearSecrets);
  const tmp = tempFiles({ 'suite.yaml': 'probes:\n  - name: db\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n    timeout: ${env:HEX}\n  - name: b\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n    timeout: ${env:ZEROS}\n' });
  t.after(tmp.cleanup);
  const result = await loadSuite(tmp.path('suite.yaml'), { HEX: '0x7fe3a91c', ZEROS: '000731955028' });
  const text = redact(result.ok ? '' : formatConfigErrors(result.errors));
  assert.match(text, /probes\[0\]\.timeout {2}must be a duration .*, got number \*\*\*$/m);
  assert.match(text, /probes\[1\]\.timeout {2}must be a duration .*, got number \*\*\*$/m);
  assert.doesNotMatch(text, /2145626396|731955028/);
});
