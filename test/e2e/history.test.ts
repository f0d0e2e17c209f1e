// Evidence over time against a real PostgreSQL store: several runs of one suite, a value that drifts beyond its
// baseline failing the sync, regressions named, then history, show, diff and verify reading those runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';
import { startPostgres, type PgServer } from '../support/postgres.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { makeKeyPair, type KeyPair } from '../support/signing-keys.ts';

let pg: PgServer;
let api: Receiver;
let dir: ReturnType<typeof tempFiles>;
let keys: KeyPair;
const REVISIONS = ['aaaaaaa111', 'bbbbbbb222', 'ccccccc333', 'ddddddd444'];
const ORDERS = [100, 95, 50, 50];

before(async () => {
  pg = await startPostgres();
  api = await startReceiver(ORDERS.map((n) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orders: n }) })));
  dir = tempFiles({});
  keys = makeKeyPair(dir.dir);
});
after(async () => {
  await api?.close();
  await pg?.stop();
  dir?.cleanup();
});

function suite(storeUrl: string, sink = true): string {
  return `suite: orders
store:
  url: ${storeUrl}
signing:
  key: \${file:${keys.privatePath}}
defaults:
  within: 0s
probes:
  - name: orders api
    type: http
    url: ${api.origin}/orders
    expect:
      - status == 200
      - json.orders >= baseline * 0.9
  - name: port
    type: tcp
    host: 127.0.0.1
    port: ${new URL(api.origin).port}
${sink ? `sinks:\n  - type: postgres\n    url: ${storeUrl}\n    required: true\n` : ''}`;
}

const run = (config: string, revision: string) =>
  runCli(['run', '--config', config, '--termination-log', ''], { env: { ARGOCD_APP_NAME: 'orders', ARGOCD_APP_REVISION: revision } });

test('runs against their baselines and the previous run; history, show, diff and verify read them', async () => {
  const config = dir.path('suite.yaml');
  writeFileSync(config, suite(pg.url()));
  const outputs = [];
  for (const revision of REVISIONS) outputs.push(await run(config, revision));
  const [first, second, third, fourth] = outputs as [typeof outputs[0], typeof outputs[0], typeof outputs[0], typeof outputs[0]];

  // 1: nothing stored yet: the baseline assertion is not evaluated, the probe passes on the rest.
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /\nstore: no earlier run of this suite and app\n/);
  assert.match(first.stdout, /\n  ✓ orders api: 200 in \d+ms; not evaluated: json\.orders >= baseline \* 0\.9 \(no earlier passing run\) · new\n/);
  assert.match(first.stdout, /\nPASSED: 2 probes passed in \d+m?s\n/);
  // 2: 95 against 100 × 0.9.
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /\nstore: baseline and previous run [0-9a-f]{8} \(aaaaaaa\)\n  ✓ orders api: 200 in \d+ms\n/);
  // 3: 50 against 95 × 0.9: the sync fails, and it is a regression.
  assert.equal(third.code, 1, third.stdout + third.stderr);
  assert.match(third.stdout, /\n  ✗ orders api: json\.orders = 50 \(expected >= 85\.5\) · regressed since bbbbbbb\n/);
  assert.match(third.stdout, /\nFAILED: 1 of 2 probes failed in \d+m?s, 1 regressed\n/);
  // 4: the baseline is still the last passing run (2), and the failure is not a new regression.
  assert.equal(fourth.code, 1);
  assert.match(fourth.stdout, /\nstore: baseline run [0-9a-f]{8} \(bbbbbbb\), previous run [0-9a-f]{8} \(ccccccc, failed\)\n/);
  assert.match(fourth.stdout, /\n  ✗ orders api: json\.orders = 50 \(expected >= 85\.5\) · still failing since ccccccc\n/);
  assert.match(fourth.stdout, /\nFAILED: 1 of 2 probes failed in \d+m?s\n/);

  const rows = await pg.query("SELECT id::text AS id, record FROM syncproof_runs ORDER BY started_at");
  assert.equal(rows.length, 4);
  const ids = rows.map((r) => r.id as string);
  const records = rows.map((r) => r.record as Record<string, any>);
  assert.deepEqual(records.map((r) => r.probes[0].regression), ['new', null, 'regressed', 'still-failing']);
  assert.deepEqual(records[0]!.probes[0].notEvaluated, [{ expect: 'json.orders >= baseline * 0.9', reason: 'no baseline: no earlier passing run' }]);
  assert.deepEqual(records[1]!.probes[0].assertions[1], { expect: 'json.orders >= baseline * 0.9', actual: '95', passed: true, baseline: '100' });
  assert.deepEqual(records[2]!.probes[0].previous, { id: ids[1], revision: REVISIONS[1], verdict: 'passed' });
  assert.deepEqual(records[3]!.store.baseline.id, ids[1]);
  const indexes = await pg.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'syncproof_runs' AND indexname = 'syncproof_runs_suite_app_started'");
  assert.match(String(indexes[0]?.indexdef), /\(suite, app, started_at DESC\)/);

  const history = await runCli(['history', '--config', config]);
  assert.equal(history.code, 0, history.stderr);
  const lines = history.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `4 latest runs in postgres://postgres@127.0.0.1:${pg.port}/postgres table syncproof_runs`);
  assert.deepEqual(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1)), [3, 2, 1, 0].map((i) => [
    ids[i]!.slice(0, 8), 'orders', `orders@${REVISIONS[i]!.slice(0, 7)}`, i >= 2 ? 'FAILED' : 'PASSED',
    i >= 2 ? '2 probes: 1 passed, 1 failed' : '2 probes: 2 passed', lines[4 - i]!.split(/\s{2,}/).at(-1)!,
  ]));
  const limited = await runCli(['history', '--config', config, '--limit', '2', '--app', 'orders', '--suite', 'orders', '--output', 'json']);
  assert.deepEqual((JSON.parse(limited.stdout) as { id: string; verdict: string }[]).map((r) => [r.id, r.verdict]), [[ids[3], 'failed'], [ids[2], 'failed']]);
  const none = await runCli(['history', '--config', config, '--suite', 'payments']);
  assert.equal(none.stdout, `no runs of suite payments in postgres://postgres@127.0.0.1:${pg.port}/postgres table syncproof_runs\n`);

  const show = await runCli(['show', ids[2]!.slice(0, 8), '--config', config]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, new RegExp(`^run ${ids[2]} · started \\S+ · signed by key ${keys.keyId}\\nsyncproof \\S+ · suite orders · app orders@ccccccc\\n`));
  assert.match(show.stdout, /\n  ✗ orders api: json\.orders = 50 \(expected >= 85\.5\) · regressed since bbbbbbb\n  ✓ port: connected in \d+ms\nFAILED: 1 of 2 probes failed in \d+m?s, 1 regressed\n$/);
  const shown = JSON.parse((await runCli(['show', ids[2]!, '--config', config, '--output', 'json'])).stdout);
  assert.equal(shown.id, ids[2]);
  assert.equal(shown.probes[0].regression, 'regressed');
  const missing = await runCli(['show', '00000000-0000-4000-8000-000000000000', '--config', config]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no run 00000000-0000-4000-8000-000000000000 in postgres:/);

  const diff = await runCli(['diff', ids[1]!, ids[2]!, '--config', config]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /\nverdict: passed → failed\nprobes:\n  ✗ orders api: passed → failed\nobservations \(numbers that moved more than 10%, values that changed\):\n  orders api: json\.orders 95 → 50 \(-47%\)\n/);
  const diffJson = JSON.parse((await runCli(['diff', ids[1]!, ids[2]!, '--config', config, '--output', 'json'])).stdout);
  assert.deepEqual(diffJson.probes, [{ probe: 'orders api', from: 'passed', to: 'failed' }]);
  assert.deepEqual(diffJson.observations.find((m: { path: string }) => m.path === 'json.orders'), { probe: 'orders api', path: 'json.orders', change: 'moved', from: 95, to: 50, kind: 'any' });
  assert.equal(diffJson.from.id, ids[1]);

  // The postgres sink delivered the signature; a jsonb column reorders keys, and the record still verifies.
  const verified = await runCli(['verify', ids[2]!, '--key', keys.publicPath, '--config', config]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  await pg.query(`UPDATE syncproof_runs SET record = jsonb_set(record, '{probes,0,verdict}', '"passed"') WHERE id = $1`, [ids[2]]);
  const altered = await runCli(['verify', ids[2]!, '--key', keys.publicPath, '--config', config]);
  assert.equal(altered.code, 1);
  assert.equal(altered.stdout, `NOT VERIFIED: run ${ids[2]}: the record was altered: probes[0].verdict differs from what was signed\n`);
});

test('an unreachable store is one plain line: baselines not evaluated, the run still decided by its probes', async () => {
  const config = dir.path('unreachable.yaml');
  const port = await refusedPort();
  writeFileSync(config, suite(`postgres://postgres@127.0.0.1:${port}/postgres`, false));
  const r = await run(config, 'eeeeeee555');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`\\nstore: not read \\(connection refused \\(127\\.0\\.0\\.1:${port}\\)\\); baselines not evaluated, regressions unknown\\n`));
  assert.match(r.stdout, /\n  ✓ orders api: 200 in \d+ms; not evaluated: json\.orders >= baseline \* 0\.9 \(the store could not be read\)\n/);
  const history = await runCli(['history', '--config', config]);
  assert.equal(history.code, 1);
  assert.equal(history.stdout, '');
  assert.match(history.stderr, /^syncproof: store postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres table syncproof_runs: connection refused/);
});
