// A directory of files, a mounted ConfigMap, and how files merge into one suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import type { LoadResult } from '../../src/suite.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function errorsOf(result: LoadResult, dir: string): string[] {
  assert.equal(result.ok, false, 'the suite should not load');
  return result.ok ? [] : formatConfigErrors(result.errors).replaceAll(`${dir}/`, '').split('\n');
}

const tcp = (name: string, extra = '') => `  - name: ${name}\n    type: tcp\n    host: 127.0.0.1\n    port: 5432\n${extra}`;

test('a directory: every *.yaml/*.yml in name order, dot files and other files skipped', async (t) => {
  const dir = tempDir(t);
  write(dir, {
    'b.yml': `probes:\n${tcp('b')}`,
    'a.yaml': `suite: shop\nprobes:\n${tcp('a')}`,
    '.hidden.yaml': 'not: [valid',
    'notes.txt': 'not yaml: [',
    'c.yaml.bak': 'nor: [this',
  });
  mkdirSync(join(dir, 'sub.yaml'));
  const result = await loadSuite(dir, {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.deepEqual(result.suite.files, [join(dir, 'a.yaml'), join(dir, 'b.yml')]);
  assert.deepEqual(result.suite.probes.map((p) => p.name), ['a', 'b']);
  assert.equal(result.suite.probes[1]!.at.file, join(dir, 'b.yml'));
});

test('a mounted ConfigMap: ..data links are followed and each key appears once, under its own name', async (t) => {
  const dir = tempDir(t);
  const stamp = '..2026_11_26_10_00_00.123456';
  mkdirSync(join(dir, stamp));
  write(join(dir, stamp), { 'suite.yaml': `suite: orders\nprobes:\n${tcp('db', '    hst: x\n')}`, 'sinks.yaml': 'sinks:\n  - type: file\n    path: /tmp/r.json\n' });
  symlinkSync(stamp, join(dir, '..data'));
  symlinkSync('..data/suite.yaml', join(dir, 'suite.yaml'));
  symlinkSync('..data/sinks.yaml', join(dir, 'sinks.yaml'));
  assert.deepEqual(errorsOf(await loadSuite(dir, {}), dir), ['suite.yaml:7:5  probes["db"].hst  unknown key "hst" (did you mean "host"?)']);

  write(join(dir, stamp), { 'suite.yaml': `suite: orders\nprobes:\n${tcp('db')}` });
  const result = await loadSuite(dir, {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.deepEqual(result.suite.files, [join(dir, 'sinks.yaml'), join(dir, 'suite.yaml')]);
  assert.equal(result.suite.probes.length, 1);
  assert.equal(result.suite.sinks.length, 1);
});

test('a missing path, an empty directory and an unreadable file are configuration errors', async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(errorsOf(await loadSuite(join(dir, 'nope'), {}), dir), ['nope:1:1  cannot read the configuration: no such file or directory']);
  mkdirSync(join(dir, 'empty'));
  assert.deepEqual(errorsOf(await loadSuite(join(dir, 'empty'), {}), dir), ['empty:1:1  no *.yaml or *.yml files in this directory']);
  write(dir, { 'a.yaml': `probes:\n${tcp('a', '    after: [b]\n')}` });
  symlinkSync(join(dir, 'gone.yaml'), join(dir, 'b.yaml'));
  // The dangling file is reported; probes it might have held are not reported missing.
  assert.deepEqual(errorsOf(await loadSuite(dir, {}), dir), ['b.yaml:1:1  cannot read: no such file or directory']);
});

test('files merge: probes and sinks concatenate, defaults merge key by key', async (t) => {
  const dir = tempDir(t);
  write(dir, {
    '1-base.yaml': 'suite: shop\ndefaults:\n  timeout: 2s\n  severity: warning\nsinks:\n  - type: file\n    path: /tmp/a.json\n',
    '2-db.yaml': `concurrency: 3\ndefaults:\n  within: 0s\n  timeout: 2000ms\nprobes:\n${tcp('db', '    interval: 1s\n')}`,
    '3-web.yaml': `suite: shop\nprobes:\n${tcp('web', '    after: [db]\n    severity: critical\n')}sinks:\n  - type: slack\n    url: https://hooks.example/x\n`,
  });
  const result = await loadSuite(dir, { ARGOCD_APP_NAME: 'ignored' });
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  const { suite } = result;
  assert.equal(suite.name, 'shop');
  assert.equal(suite.concurrency, 3);
  assert.equal(suite.deadlineMs, 300_000);
  assert.deepEqual(suite.probes.map((p) => [p.name, p.timing]), [
    ['db', { timeoutMs: 2000, withinMs: 0, intervalMs: 1000, passes: 1, severity: 'warning' }],
    ['web', { timeoutMs: 2000, withinMs: 0, intervalMs: 2000, passes: 1, severity: 'critical' }],
  ]);
  assert.deepEqual(suite.probes[1]!.after, ['db']);
  assert.deepEqual(suite.sinks.map((s) => [s.type, s.on, s.required]), [['file', 'always', false], ['slack', 'failure', false]]);
});

test('a key given different values in two files is an error at the second place', async (t) => {
  const dir = tempDir(t);
  write(dir, {
    'a.yaml': `suite: shop\ndeadline: 1m\ndefaults:\n  timeout: 2s\nprobes:\n${tcp('a')}`,
    'b.yaml': `suite: shop\ndeadline: 60s\ndefaults:\n  within: 0s\n  timeout: 3s\nconcurrency: 2\nprobes:\n${tcp('b')}`,
    'c.yaml': 'suite: store\nconcurrency: 4\n',
  });
  assert.deepEqual(errorsOf(await loadSuite(dir, {}), dir), [
    `b.yaml:5:12  defaults.timeout  conflicts with the different value at ${dir}/a.yaml:4:12 (a key set in several files must have the same value)`.replace(`${dir}/`, ''),
    `c.yaml:1:8  suite  conflicts with the different value at a.yaml:1:8 (a key set in several files must have the same value)`,
    `c.yaml:2:14  concurrency  conflicts with the different value at b.yaml:6:14 (a key set in several files must have the same value)`,
  ]);
});

test('the suite name: suite, else ARGOCD_APP_NAME, else the first file\'s base name', async (t) => {
  const dir = tempDir(t);
  write(dir, { 'orders.yaml': `probes:\n${tcp('a')}` });
  const byFile = await loadSuite(join(dir, 'orders.yaml'), {});
  assert.equal(byFile.ok && byFile.suite.name, 'orders');
  const byApp = await loadSuite(join(dir, 'orders.yaml'), { ARGOCD_APP_NAME: 'orders-prod' });
  assert.equal(byApp.ok && byApp.suite.name, 'orders-prod');
});

test('a FIFO named *.yaml in the directory is a configuration error, not a read that blocks forever', async (t) => {
  const dir = tempDir(t);
  write(dir, { 'a.yaml': `probes:\n${tcp('a')}` });
  execFileSync('mkfifo', [join(dir, 'b.yaml')]);
  assert.deepEqual(errorsOf(await loadSuite(dir, {}), dir), ['b.yaml:1:1  cannot read: it is a FIFO, not a regular file']);
});
