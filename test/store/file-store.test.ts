// A directory of record files as the store: what `run --output json` prints, read back for regressions and history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync, mkdirSync } from 'node:fs';
import { runCli, tempFiles } from '../support/cli.ts';

test('records written to a directory are the store: a probe that stops passing is a regression; history and show read them', async (t) => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const dir = tempFiles({});
  t.after(dir.cleanup);
  const records = dir.path('records');
  mkdirSync(records);
  writeFileSync(`${records}/notes.json`, '{"not": "a record"}');
  writeFileSync(`${records}/broken.json`, '{');
  const config = dir.path('suite.yaml');
  const suite = (p: number) => `suite: shop\nstore:\n  path: ${records}\ndefaults:\n  within: 0s\n  timeout: 1s\nprobes:\n  - name: shop port\n    type: tcp\n    host: 127.0.0.1\n    port: ${p}\n    expect: [connected, duration < baseline + 10s]\n`;
  const run = async (p: number, name: string) => {
    writeFileSync(config, suite(p));
    const r = await runCli(['run', '--config', config, '--output', 'json', '--termination-log', '']);
    writeFileSync(`${records}/${name}.json`, r.stdout);
    return { code: r.code, record: JSON.parse(r.stdout) };
  };
  const first = await run(port, 'run-1');
  assert.equal(first.code, 0);
  assert.equal(first.record.probes[0].regression, 'new');
  assert.deepEqual(first.record.store, { target: `directory ${records}`, previous: null, baseline: null, error: null });
  const second = await run(port, 'run-2');
  assert.equal(second.record.probes[0].assertions[1].baseline, `${first.record.probes[0].observed.duration}ms`);
  const closed = await new Promise<number>((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  const third = await run(closed, 'run-3');
  assert.equal(third.code, 1);
  assert.equal(third.record.probes[0].regression, 'regressed');
  assert.deepEqual(third.record.probes[0].previous, { id: second.record.id, revision: null, verdict: 'passed' });
  assert.equal(third.record.store.baseline.id, second.record.id);

  const history = await runCli(['history', '--config', config, '--output', 'json']);
  assert.equal(history.code, 0, history.stderr);
  assert.deepEqual(JSON.parse(history.stdout).map((r: { id: string }) => r.id), [third, second, first].map((r) => r.record.id));
  const show = await runCli(['show', third.record.id.slice(0, 8), '--config', config]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, new RegExp(`  ✗ shop port: connection refused \\(127\\.0\\.0\\.1:${closed}\\) · regressed since run ${second.record.id.slice(0, 8)}\\nFAILED: 1 of 1 probes failed in \\S+, 1 regressed\\n$`));
  const short = await runCli(['show', third.record.id.slice(0, 7), '--config', config]);
  assert.equal(short.code, 1, 'a prefix shorter than 8 characters names no run');
  const diff = await runCli(['diff', second.record.id, third.record.id, '--config', config]);
  assert.match(diff.stdout, /\nverdict: passed → failed\nprobes:\n  ✗ shop port: passed → failed\n/);
});

test('history, show and diff need a store; their operands and options are checked', async (t) => {
  const dir = tempFiles({ 'suite.yaml': 'probes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n' });
  t.after(dir.cleanup);
  const r = await runCli(['history', '--config', dir.path('suite.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /suite suite has no store: add store:/);
  const cases: [string[], RegExp][] = [
    [['show'], /show takes one run id/],
    [['diff', 'a'], /diff takes two run ids/],
    [['history', 'x'], /history takes no operand, not "x"/],
    [['history', '--limit', '0'], /--limit must be a whole number from 1 to 1000, not "0"/],
    [['show', 'abc', '--limit', '2'], /--app, --suite and --limit are options of history/],
    [['run', '--key', 'k.pem'], /--key, --app, --suite and --limit are options of history, show, diff and verify/],
    [['verify', 'nothing-here', '--key', dir.path('suite.yaml')], /--key .* is not a PEM public key/],
    [['histroy'], /unknown command "histroy" \(did you mean "history"\?\)/],
  ];
  for (const [args, message] of cases) {
    const out = await runCli([...args, '--config', dir.path('suite.yaml')]);
    assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
    assert.match(out.stderr, message);
  }
});
