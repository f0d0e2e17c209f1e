// `validate` checks a suite; it opens no connection, so it must not pay for the code that does: each probe
// type's observing module (ProbeType.load), its driver and the Node builtins only connecting or recording
// need (docs/PERFORMANCE.md). The suite holds one probe of every registered type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { probeTypes } from '../../src/probes/index.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';
import { fixtureOf } from '../support/probe-fixtures.ts';

const TRACE = fileURLToPath(new URL('../support/trace-imports.ts', import.meta.url));
const DRIVERS = ['undici', 'pg', 'mysql2', 'ioredis', '@grpc/grpc-js', 'amqplib', '@platformatic/kafka', '@nats-io/transport-node', '@nats-io/jetstream'];
// What only an attempt, a delivery or the record needs: TLS, name lookups, the host-lookup helper's fork,
// hashes and ids, files read off the event loop's thread. (Not node:net: Node loads it for a stdout that is a
// pipe, as here and in a container.)
const RUN_ONLY_BUILTINS = ['tls', 'dns', 'dns/promises', 'child_process', 'crypto', 'fs/promises'];

test('validate of a suite with every probe type loads no observing module, no driver and no builtin only a run needs', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({});
  t.after(files.cleanup);
  const probes = Object.keys(probeTypes).map((type) => ({ name: `p-${type}`, type, within: '0s', ...fixtureOf(type).spec(port, files.dir) }));
  writeFileSync(files.path('suite.yaml'), `${JSON.stringify({ suite: 'every-type', probes })}\n`);

  const loaded = async (command: 'validate' | 'run', suite: string): Promise<readonly string[]> => {
    const out = files.path(`${command}.trace`);
    const r = await runCli([command, '--config', suite, '--termination-log', '', ...(command === 'run' ? ['--no-sinks'] : [])],
      { env: { NODE_OPTIONS: `--import ${TRACE}`, TRACE_IMPORTS_FILE: out } });
    assert.ok(r.code === 0 || command === 'run', `${command}: ${r.stdout}${r.stderr}`);
    return readFileSync(out, 'utf8').split('\n');
  };
  const validated = await loaded('validate', files.path('suite.yaml'));
  assert.ok(validated.includes('zod/mini') && validated.includes('builtin:v8'), 'the trace sees what validate loads, builtins included');
  assert.deepEqual(validated.filter((s) => /\/observers?\.ts$/.test(s)), [], 'observing modules');
  assert.deepEqual(DRIVERS.filter((d) => validated.includes(d)), [], 'drivers');
  assert.deepEqual(RUN_ONLY_BUILTINS.filter((b) => validated.includes(`builtin:${b}`)), [], 'builtins');

  // The same trace of a run of one tcp probe: it does load the observing modules, and still no node:crypto (the
  // record's id comes from /dev/urandom; TLS and signing take it when they are used), perf_hooks or fs/promises.
  writeFileSync(files.path('tcp.yaml'), `probes:\n  - { name: db, type: tcp, host: 127.0.0.1, port: ${port}, within: 0s }\n`);
  const ran = await loaded('run', files.path('tcp.yaml'));
  assert.ok(ran.includes('../observers.ts') && ran.includes('./tcp/observe.ts'), 'a run loads what validate does not');
  assert.deepEqual(['crypto', 'perf_hooks', 'fs/promises', 'tls'].filter((b) => ran.includes(`builtin:${b}`)), [], 'builtins a tcp run does not need');
});
