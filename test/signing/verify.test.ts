// Signed records through the CLI: `run` signs with signing.key, sinks deliver the signature, `verify` checks
// it with the public key and names the field a one-byte change altered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';
import { startReceiver } from '../support/receiver.ts';
import { makeKeyPair } from '../support/signing-keys.ts';

async function openPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a signed run verifies with the public key; one altered byte names the field; a wrong key or none is refused', async (t) => {
  const open = await openPort();
  const hook = await startReceiver([{ status: 204 }]);
  t.after(() => Promise.all([open.close(), hook.close()]));
  const dir = tempFiles({});
  t.after(dir.cleanup);
  const keys = makeKeyPair(dir.dir);
  const other = makeKeyPair(dir.dir, 'other');
  writeFileSync(dir.path('suite.yaml'), `suite: orders
signing:
  key: \${file:${keys.privatePath}}
probes:
  - name: db port
    type: tcp
    host: 127.0.0.1
    port: ${open.port}
sinks:
  - type: file
    path: ${dir.path('record.json')}
  - type: webhook
    url: ${hook.origin}/hook
`);
  const r = await runCli(['run', '--config', dir.path('suite.yaml'), '--termination-log', ''], { env: { ARGOCD_APP_NAME: 'orders', ARGOCD_APP_REVISION: '3f2a9c1d00' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const text = readFileSync(dir.path('record.json'), 'utf8');
  const record = JSON.parse(text);
  assert.equal(record.signature.alg, 'Ed25519');
  assert.equal(record.signature.keyId, keys.keyId, 'the key id is the SHA-256 of the public key as openssl writes it');
  assert.match(record.signature.value, /^[A-Za-z0-9+/]{86}==$/, 'a 64-byte Ed25519 signature in base64');
  assert.ok(!text.includes('PRIVATE KEY'));

  const verify = (file: string, key = keys.publicPath) => runCli(['verify', file, '--key', key]);
  const ok = await verify(dir.path('record.json'));
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(ok.stdout, `verified: run ${record.id} (suite orders, app orders@3f2a9c1, passed), signed by key ${keys.keyId}\n`);

  // The webhook got the same signed record; `run --output json` prints one too, beside its unsigned `deliveries`.
  writeFileSync(dir.path('delivered.json'), hook.requests[0]!.body);
  assert.equal((await verify(dir.path('delivered.json'))).code, 0);
  const json = await runCli(['run', '--config', dir.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  assert.ok(Array.isArray(JSON.parse(json.stdout).deliveries));
  writeFileSync(dir.path('output.json'), json.stdout);
  assert.equal((await verify(dir.path('output.json'))).code, 0);
  writeFileSync(dir.path('record.json'), text); // the file sink replaced it with the second run's

  // One byte: the probe's attempts 1 → 2.
  const altered = text.replace('"attempts": 1,', '"attempts": 2,');
  assert.equal(altered.length, text.length);
  assert.notEqual(altered, text);
  writeFileSync(dir.path('altered.json'), altered);
  const bad = await verify(dir.path('altered.json'));
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.equal(bad.stdout, `NOT VERIFIED: run ${record.id}: the record was altered: probes[0].attempts differs from what was signed\n`);

  // A verdict turned from failed to passed and its count with it: both named, the first in record order.
  const forged = { ...record, verdict: 'failed', counts: { ...record.counts, passed: 0, failed: 1 } };
  writeFileSync(dir.path('forged.json'), JSON.stringify(forged));
  const two = await verify(dir.path('forged.json'));
  assert.equal(two.code, 1);
  assert.equal(two.stdout, `NOT VERIFIED: run ${record.id}: the record was altered: verdict differs from what was signed\n  also changed: counts.passed\n  also changed: counts.failed\n`);

  const added = { ...record, probes: [...record.probes, { ...record.probes[0], name: 'injected' }] };
  writeFileSync(dir.path('added.json'), JSON.stringify(added));
  assert.match((await verify(dir.path('added.json'))).stdout, /the record was altered: probes\[1\]\.name was added after signing\n/);

  const wrongKey = await verify(dir.path('record.json'), other.publicPath);
  assert.equal(wrongKey.code, 1);
  assert.equal(wrongKey.stdout, `NOT VERIFIED: run ${record.id}: signed with key "${keys.keyId}", not with this key (${other.keyId})\n`);

  const sig = { ...record, signature: { ...record.signature, value: record.signature.value.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) } };
  writeFileSync(dir.path('sig.json'), JSON.stringify(sig));
  assert.match((await verify(dir.path('sig.json'))).stdout, /no signed field differs: its value was altered/);

  const { signature: _, ...unsigned } = record;
  writeFileSync(dir.path('unsigned.json'), JSON.stringify(unsigned));
  const none = await verify(dir.path('unsigned.json'));
  assert.equal(none.code, 1);
  assert.match(none.stdout, /the record is not signed/);

  const noKey = await runCli(['verify', dir.path('record.json')]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /verify needs --key PUBLIC\.pem/);
});

test('signing.key must be an Ed25519 private key: anything else is a configuration error at its line', async (t) => {
  const dir = tempFiles({});
  t.after(dir.cleanup);
  const { execFileSync } = await import('node:child_process');
  execFileSync('openssl', ['genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', dir.path('rsa.pem')], { stdio: 'ignore' });
  writeFileSync(dir.path('suite.yaml'), `signing:\n  key: \${file:rsa.pem}\nprobes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n`);
  const r = await runCli(['validate', '--config', dir.path('suite.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /suite\.yaml:2:8 +signing\.key +is a rsa key, not Ed25519/);
  assert.ok(!r.stderr.includes('PRIVATE'));
  writeFileSync(dir.path('suite.yaml'), `signing:\n  key: not a key\nprobes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n`);
  const r2 = await runCli(['validate', '--config', dir.path('suite.yaml')]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /signing\.key +is not a PEM private key: make one with `openssl genpkey -algorithm ed25519/);
});
