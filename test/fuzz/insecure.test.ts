// `insecure: true` (http `tls.insecure`, the tls probe's `insecure`) is marked in the record and the
// human report; a probe that verifies is not, and by default a self-signed certificate fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCerts } from '../support/certs.ts';
import { startHttpServer } from '../support/http-server.ts';
import { runCli, tempFiles } from '../support/cli.ts';

test('insecure TLS is marked in the record and ends the report line with [insecure TLS]', async (t) => {
  const certs = await makeCerts();
  const server = await startHttpServer({ tls: certs.selfSigned });
  t.after(() => server.close());
  const files = tempFiles({ 'suite.yaml': [
    'defaults: { within: 0s, timeout: 5s }',
    'probes:',
    `  - { name: api insecure, type: http, url: "${server.url}/json", tls: { insecure: true } }`,
    `  - { name: tls insecure, type: tls, host: localhost, port: ${server.port}, insecure: true, expect: ["!authorized"] }`,
    `  - { name: api verified, type: http, url: "${server.url}/json", severity: warning }`,
    `  - { name: tls verified, type: tls, host: localhost, port: ${server.port}, insecure: false, expect: ["!authorized"] }`,
  ].join('\n') });
  t.after(files.cleanup);
  const args = ['run', '--config', files.path('suite.yaml'), '--termination-log', ''];
  const human = await runCli(args, { env: { NO_COLOR: '1' } });
  const json = await runCli([...args, '--output', 'json']);
  assert.equal(human.code, 0, human.stdout + human.stderr);
  const record = JSON.parse(json.stdout) as { probes: { name: string; verdict: string; insecure?: boolean; error: string | null }[] };
  const probe = (name: string) => record.probes.find((p) => p.name === name)!;
  assert.equal(probe('api insecure').verdict, 'passed');
  assert.equal(probe('api insecure').insecure, true);
  assert.equal(probe('tls insecure').insecure, true);
  assert.equal(probe('api verified').insecure, undefined);
  assert.equal(probe('tls verified').insecure, undefined);
  assert.equal(probe('api verified').verdict, 'warned', 'verified by default: the self-signed certificate fails');
  const line = (name: string) => human.stdout.split('\n').find((l) => l.includes(` ${name}: `)) ?? '';
  assert.match(line('api insecure'), / \[insecure TLS\]$/);
  assert.match(line('tls insecure'), / \[insecure TLS\]$/);
  assert.doesNotMatch(line('api verified'), /insecure/);
  assert.doesNotMatch(line('tls verified'), /insecure/);
});
