// What the report line and the termination message say in two edge cases: a passing probe whose
// observation has notes (a write-check's refusal), and a usage error found after loading (`--only`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';
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
