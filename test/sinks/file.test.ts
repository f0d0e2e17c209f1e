import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProbeRecord } from '../../src/record/types.ts';
import { deliverAll } from '../../src/sinks/deliver.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-file-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Another process reading the file as fast as it can until told to stop: how many reads, how many torn. */
const READER = `
const fs = require('node:fs');
const [path, stop] = process.argv.slice(1);
let reads = 0, torn = 0;
const ids = new Set();
while (!fs.existsSync(stop)) {
  const text = fs.readFileSync(path, 'utf8');
  reads++;
  try { ids.add(JSON.parse(text).id); } catch { torn++; }
}
process.stdout.write(JSON.stringify({ reads, torn, ids: ids.size }));
`;

test('writes the record as JSON, creating the directories', async (t) => {
  const path = join(tempDir(t), 'evidence', 'orders', 'last-run.json');
  const record = sampleRecord('passed');
  const [d] = await deliverAll(record, [sinkConfig('file', { path })], { windowMs: 5000, log: memoryLog().log });
  assert.equal(d?.outcome, 'delivered');
  assert.equal(d?.target, path);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), record);
});

test('a reader in another process never sees half a record while it is rewritten', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run.json');
  const stop = join(dir, 'stop');
  // About 2 MB of JSON, so one write is many system calls.
  const big = (i: number) => {
    const probes: ProbeRecord[] = Array.from({ length: 400 }, (_, n) => ({ ...sampleRecord().probes[1]!, name: `p${n}`, summary: `${i}`.repeat(4000) }));
    return sampleRecord('failed', { probes });
  };
  const sink = sinkConfig('file', { path });
  await deliverAll(big(0), [sink], { windowMs: 5000, log: memoryLog().log });
  const reader = spawn(process.execPath, ['-e', READER, path, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => reader.kill());
  let out = '';
  reader.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise((resolve) => reader.on('close', resolve));

  for (let i = 1; i <= 30; i++) {
    const [d] = await deliverAll(big(i), [sink], { windowMs: 5000, log: memoryLog().log });
    assert.equal(d?.outcome, 'delivered');
  }
  writeFileSync(stop, '');
  await exited;
  const seen = JSON.parse(out) as { reads: number; torn: number; ids: number };
  assert.equal(seen.torn, 0, `${seen.torn} of ${seen.reads} reads saw a partial record`);
  assert.ok(seen.ids >= 2, `the reader saw ${seen.ids} distinct records in ${seen.reads} reads`);
  assert.deepEqual(readdirSync(dir).sort(), ['run.json', 'stop'], 'no temp file left behind');
});

test('a path under a regular file fails at once, without retries, and names the path', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'plain'), '');
  const path = join(dir, 'plain', 'run.json');
  const [d] = await deliverAll(sampleRecord(), [sinkConfig('file', { path }, { required: true })], { windowMs: 5000, log: memoryLog().log });
  assert.equal(d?.outcome, 'failed');
  assert.equal(d?.attempts, 1);
  assert.equal(d?.error, `a parent is not a directory (${path})`);
});

test('schema: a path is required and must name a file', async () => {
  const { file } = await import('../../src/sinks/file.ts');
  assert.equal(file.spec.safeParse({}).success, false);
  assert.equal(file.spec.safeParse({ path: '/data/' }).success, false);
  assert.equal(file.spec.safeParse({ path: '/data/x.json', mode: 1 }).success, false);
});
