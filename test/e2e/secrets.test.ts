// A secret given through ${env:…} never shows up on stdout, stderr, the record, JUnit or the termination message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { runCli, tempFiles } from '../support/cli.ts';

test('interpolated secrets in a URL, a header and an error message are masked in every output', async (t) => {
  const token = `tok-${randomBytes(8).toString('hex')}`;
  const password = `pw~${randomBytes(6).toString('hex')}+x`;
  const badHost = `host-${randomBytes(6).toString('hex')}.invalid`;
  const seen: string[] = [];
  // The target echoes what it received, so the secret also comes back inside the observation.
  const server = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res.writeHead(503, { 'content-type': 'application/json', 'x-echo': String(req.headers.authorization) });
    res.end(JSON.stringify({ echo: req.headers.authorization, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;

  const files = tempFiles({ 'suite.yaml': [
    'defaults: { within: 0s, timeout: 2s }',
    'probes:',
    '  - name: api',
    '    type: http',
    `    url: "http://user:\${env:API_PASSWORD}@127.0.0.1:${port}/check?token=\${env:API_TOKEN}"`,
    '    headers:',
    '      authorization: "Bearer ${env:API_TOKEN}"',
    '    expect:',
    '      - status == 200',
    '      - json.echo == "nothing"',
    '      - headers["x-echo"] contains "x"',
    '  - name: lookup',
    '    type: tcp',
    '    host: ${env:BAD_HOST}',
    '    port: 80',
  ].join('\n') });
  t.after(files.cleanup);
  const env = { API_TOKEN: token, API_PASSWORD: password, BAD_HOST: badHost, LOG_LEVEL: 'debug' };
  const args = ['run', '--config', files.path('suite.yaml'), '--junit', files.path('junit.xml'), '--termination-log', files.path('term')];

  const human = await runCli(args, { env });
  const json = await runCli([...args, '--output', 'json'], { env });
  assert.equal(human.code, 1, human.stderr);
  assert.ok(seen.length >= 2 && seen.every((s) => s.includes(token)), `the target did receive the real token: ${JSON.stringify(seen)}\n${human.stdout}`);

  const record = JSON.parse(json.stdout);
  assert.equal(record.probes[0].observed.status, 503, 'the probe really ran');
  assert.match(record.probes[1].error, /\*\*\*/, 'the error names the host, masked');
  const outputs = {
    'stdout (human)': human.stdout, 'stderr (human)': human.stderr,
    'stdout (json)': json.stdout, 'stderr (json)': json.stderr,
    junit: readFileSync(files.path('junit.xml'), 'utf8'), termination: readFileSync(files.path('term'), 'utf8'),
  };
  for (const [where, text] of Object.entries(outputs)) {
    for (const secret of [token, password, encodeURIComponent(password), badHost]) {
      assert.ok(!text.includes(secret), `${where} leaks ${secret}:\n${text}`);
    }
  }
  assert.match(human.stdout, /✗ api: status = 503 \(expected == 200\); json\.echo = "Bearer \*\*\*" \(expected == "nothing"\)/);
  assert.ok(human.stderr.length > 0, 'debug logs were written and scanned');
});

test('${app:revision} and ${var:} are not masked: the header, the assertion and the record show the revision', async (t) => {
  const server = http.createServer((_req, res) => res.end(JSON.stringify({ version: '3f2a9c1d0e5b77' })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  const files = tempFiles({ 'suite.yaml': [
    'defaults: { within: 0s }', 'probes:', '  - name: deployed version', '    type: http',
    `    url: http://127.0.0.1:\${var:API_PORT}/version`,
    `    expect: ['json.version == "\${app:revision}"', 'json.version != "\${var:OLD_REVISION:-0000000}"']`, '',
  ].join('\n') });
  t.after(files.cleanup);
  const env = { ARGOCD_APP_NAME: 'orders', ARGOCD_APP_REVISION: '3f2a9c1d0e5b77', API_PORT: String(port) };
  const human = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', ''], { env });
  assert.equal(human.code, 0, human.stdout + human.stderr);
  assert.match(human.stdout, /^syncproof \S+ · suite orders · app orders@3f2a9c1\n/);
  const json = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env });
  const record = JSON.parse(json.stdout);
  assert.equal(record.app.revision, '3f2a9c1d0e5b77');
  assert.deepEqual(record.probes[0].assertions.map((a: { expect: string }) => a.expect), ['json.version == "3f2a9c1d0e5b77"', 'json.version != "0000000"']);
  assert.equal(record.probes[0].target, `GET http://127.0.0.1:${port}/version`);
});

test('a secret that is also a word of the suite: a warning on stderr at load time, without the value', async (t) => {
  const files = tempFiles({ 'suite.yaml': 'probes:\n  - name: postgres primary\n    type: postgres\n    url: postgres://app@127.0.0.1:1/orders\n    password: ${env:DB_PASSWORD}\n' });
  t.after(files.cleanup);
  const r = await runCli(['validate', '--config', files.path('suite.yaml')], { env: { DB_PASSWORD: 'postgres', LOG_LEVEL: 'warn' } });
  assert.equal(r.code, 0, r.stderr);
  const [line, ...rest] = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rest.length, 0, r.stderr);
  assert.equal(line.level, 40);
  assert.equal(line.path, 'probes["*** primary"].password', 'the name holds the secret, so it is masked there: what the warning is about');
  assert.match(line.msg, /^the secret interpolated here also occurs in the suite's own text at line 2, column 11/);
});
