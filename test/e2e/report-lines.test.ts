// What the report line and the termination message say in two edge cases: a passing probe whose
// observation has notes (a write-check's refusal), and a usage error found after loading (`--only`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { startPostgres } from '../support/postgres.ts';

test('a passing `!writable` on a read-only primary still gives the server\'s reason on its line', async (t) => {
  const server = await startPostgres();
  t.after(() => server.stop());
  await server.query('ALTER SYSTEM SET default_transaction_read_only = on');
  await server.query('SELECT pg_reload_conf()');
  await new Promise((r) => setTimeout(r, 200)); // new backends read the setting; wait for the reload to land
  const files = tempFiles({ 'suite.yaml': `probes:
  - name: frozen primary
    type: postgres
    url: ${server.url()}
    within: 0s
    writeCheck: true
    expect: [connected, "!writable", readOnly]
` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const line = r.stdout.split('\n').find((l) => l.includes('frozen primary')) ?? '';
  // The server's test login is the superuser `postgres`, whose note comes first (docs/probes/postgres.md).
  assert.match(line, /^ {2}✓ frozen primary: primary \(read-only\), 0 replicas, not writable in \d+ms \(runs as superuser "postgres": [^;]+; writeCheck: cannot execute CREATE TABLE in a read-only transaction\)$/);
});

test('an unknown --only name exits 2 and writes a configuration-error termination message', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `suite: shop\nprobes:\n  - name: web\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term'), '--only', 'wbe']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^syncproof: --only "wbe" names no probe of suite shop \(did you mean "web"\?\)\n/);
  assert.equal(readFileSync(files.path('term'), 'utf8'), 'CONFIGURATION ERROR\n--only "wbe" names no probe of suite shop (did you mean "web"?)');
});

test('a failed line of a retried probe says how often and how long it was tried', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `probes:\n  - name: closed\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 500ms\n    interval: 300ms\n  - name: once\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 0s\n    severity: warning\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', files.path('term')]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`\\n {2}✗ closed: connection refused \\(127\\.0\\.0\\.1:${port}\\) \\(after 2 attempts in \\d+ms\\)\\n`));
  assert.match(r.stdout, new RegExp(`\\n {2}! once: connection refused \\(127\\.0\\.0\\.1:${port}\\) +\\[warning\\]\\n`), 'tried once: no count');
  assert.match(readFileSync(files.path('term'), 'utf8'), /\n✗ closed: connection refused \(127\.0\.0\.1:\d+\) \(after 2 attempts in \d+ms\)$/);
});

test('a probe that never started before the deadline says what it waited for', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': [
    'deadline: 1s', 'concurrency: 1', 'defaults: { timeout: 1s, within: 1m, interval: 100ms }', 'probes:',
    `  - { name: db port, type: tcp, host: 127.0.0.1, port: ${port} }`,
    `  - { name: schema, type: tcp, host: 127.0.0.1, port: ${port}, after: [db port] }`,
    '',
  ].join('\n') });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const [db, schema] = JSON.parse(r.stdout).probes;
  assert.match(db.summary, /^aborted: deadline 1s reached; last attempt: connection refused \(127\.0\.0\.1:\d+\) \(after \d+ attempts in [\d.]+m?s\)$/);
  assert.equal(schema.summary, 'aborted: deadline 1s reached before it started, while it waited for db port');
});

test('a probe that never got a slot before the deadline says so', async (t) => {
  const peer = await silentPeer();
  t.after(() => peer.close());
  const files = tempFiles({ 'suite.yaml': [
    'deadline: 1s', 'concurrency: 1', 'defaults: { timeout: 1s, within: 0s }', 'probes:',
    `  - { name: hangs, type: http, url: "http://127.0.0.1:${peer.port}/" }`,
    `  - { name: queued, type: http, url: "http://127.0.0.1:${peer.port}/" }`,
    '',
  ].join('\n') });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const [hangs, queued] = JSON.parse(r.stdout).probes;
  assert.equal(hangs.summary, 'aborted: deadline 1s reached');
  assert.equal(queued.summary, 'aborted: deadline 1s reached before it started, while it waited for a free slot (concurrency 1)');
});
