// The http probe through the real CLI: credentials written into its URL reach the server as basic
// auth and appear in no output (not even as the header a server echoes back), even when they are plain
// text rather than an interpolated secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { runCli, tempFiles } from '../support/cli.ts';

test('a URL with user:password@ authenticates with basic auth; the password is in no output and the target has no userinfo', async (t) => {
  const password = 'plain-text-pw-4711';
  const expected = `Basic ${Buffer.from(`monitor:${password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    // Like a debug endpoint or httpbin's /anything: the request's headers echoed in the body.
    res.writeHead(req.headers.authorization === expected ? 200 : 401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ headers: req.headers }));
  }).listen(0, '127.0.0.1');
  t.after(() => { server.close(); });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const files = tempFiles({ 'suite.yaml': `
defaults: { within: 0s, timeout: 2s }
probes:
  - { name: api, type: http, url: "http://monitor:${password}@127.0.0.1:${port}/private", expect: [status == 200, 'json.headers.authorization != ""'] }
` });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--junit', files.path('junit.xml'), '--termination-log', ''];

  const human = await runCli(args, { env: { LOG_LEVEL: 'debug' } });
  assert.equal(human.code, 0, human.stdout + human.stderr);
  const json = await runCli([...args, '--output', 'json']);
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const record = JSON.parse(json.stdout) as { probes: { target: string }[] };
  assert.equal(record.probes[0]?.target, `GET http://127.0.0.1:${port}/private`);
  for (const [name, text] of [['stdout', human.stdout], ['stderr', human.stderr], ['record', json.stdout], ['junit', readFileSync(files.path('junit.xml'), 'utf8')]]) {
    assert.ok(!text?.includes(password), `${name} shows the password:\n${text}`);
    assert.ok(!text?.includes(expected.slice('Basic '.length)), `${name} shows the echoed basic credentials:\n${text}`);
  }
});
