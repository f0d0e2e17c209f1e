// The bad-input corpus through the real CLI: every entry exits 2 with FILE:LINE:COL errors, never 3.
// Committed entries live in test/fixtures/bad-input (first line `# expect: TEXT`); the ones that are
// large, binary or about directories are generated here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempFiles } from '../support/cli.ts';
import { expectConfigError, inBatches, type BadInputOutcome } from './config-error.ts';

const CORPUS = fileURLToPath(new URL('../fixtures/bad-input/', import.meta.url));
const MIB = 1024 * 1024;
/** Peak RSS any bad input may cost (the loader alone takes about 100 MB). */
const RSS_BOUND_KB = 512 * 1024;

interface Case {
  readonly name: string;
  readonly path: string;
  /** The files the errors may name (a directory's files, or the path itself). */
  readonly files: readonly string[];
  readonly expect: string;
}

function committedCases(): Case[] {
  return readdirSync(CORPUS).filter((n) => n.endsWith('.yaml')).sort().map((name) => {
    const path = join(CORPUS, name);
    const header = /^(?:\uFEFF)?# expect: (.+)$/m.exec(readFileSync(path, 'utf8'));
    assert.ok(header, `${name} starts with "# expect: TEXT"`);
    return { name, path, files: [path], expect: header[1]! };
  });
}

/** Deterministic bytes, so a failure can be reproduced. */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function probeLines(bytes: number): string {
  const lines = ['probes:'];
  let size = 8;
  for (let i = 0; size < bytes; i++) {
    const line = `  - { name: p${i}, type: tcp, host: h.example.test, port: 1 }`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function generatedCases(dir: string): Case[] {
  const at = (...parts: string[]) => join(dir, ...parts);
  mkdirSync(at('empty'));
  mkdirSync(at('no-suite-files'));
  writeFileSync(at('no-suite-files', 'notes.txt'), 'probes: []\n');
  writeFileSync(at('no-suite-files', '.hidden.yaml'), 'probes: []\n');
  mkdirSync(at('no-suite-files', 'dir.yaml'));
  writeFileSync(at('binary.yaml'), noise(64 * 1024, 7));
  writeFileSync(at('nul-bytes.yaml'), 'probes:\n  - name: a\0b\n    type: tcp\0\n');
  // 50 MB of well-formed probes: the loader must refuse it before building anything from it.
  const chunk = Buffer.from(probeLines(MIB).slice('probes:\n'.length));
  writeFileSync(at('fifty-mb.yaml'), Buffer.concat([Buffer.from('probes:\n'), ...Array.from({ length: 50 }, () => chunk)]));
  // The largest file allowed, as expensive as it gets: 1 MiB of probes, one name repeated at the end.
  writeFileSync(at('one-mib-of-probes.yaml'), `${probeLines(MIB - 200)}  - { name: p0, type: tcp, host: h, port: 1 }\n`);
  mkdirSync(at('over-limit-dir'));
  writeFileSync(at('over-limit-dir', 'a.yaml'), probeLines(0.6 * MIB));
  writeFileSync(at('over-limit-dir', 'b.yaml'), probeLines(0.6 * MIB).replaceAll('name: p', 'name: q'));
  writeFileSync(at('deep-flow.yaml'), `probes: ${'['.repeat(MIB - 20)}\n`);
  writeFileSync(at('deep-block.yaml'), `probes:\n${'- '.repeat(400_000)}x\n`);
  const nested = (n: number) => `${'{a: '.repeat(n)}1${'}'.repeat(n)}`;
  writeFileSync(at('deep-body.yaml'), `probes:\n  - name: api\n    type: http\n    url: http://h.example.test\n    bogus: ${nested(90)}\n`);
  symlinkSync(at('nowhere.yaml'), at('dangling.yaml'));
  return [
    { name: 'empty directory', path: at('empty'), files: [at('empty')], expect: 'no *.yaml or *.yml files' },
    { name: 'only non-suite files', path: at('no-suite-files'), files: [at('no-suite-files')], expect: 'no *.yaml or *.yml files' },
    { name: 'missing path', path: at('missing'), files: [at('missing')], expect: 'no such file or directory' },
    { name: 'binary file (64 KiB of noise)', path: at('binary.yaml'), files: [at('binary.yaml')], expect: 'YAML:' },
    { name: 'NUL bytes', path: at('nul-bytes.yaml'), files: [at('nul-bytes.yaml')], expect: '' },
    { name: '50 MB file', path: at('fifty-mb.yaml'), files: [at('fifty-mb.yaml')], expect: 'larger than 1 MiB' },
    { name: '1 MiB of probes, one duplicate', path: at('one-mib-of-probes.yaml'), files: [at('one-mib-of-probes.yaml')], expect: 'duplicate probe name' },
    { name: 'directory over 1 MiB', path: at('over-limit-dir'), files: [at('over-limit-dir', 'a.yaml'), at('over-limit-dir', 'b.yaml')], expect: 'larger than 1 MiB' },
    { name: 'deep nesting: 1 MiB of [', path: at('deep-flow.yaml'), files: [at('deep-flow.yaml')], expect: 'YAML:' },
    { name: 'deep nesting: 400k block levels', path: at('deep-block.yaml'), files: [at('deep-block.yaml')], expect: 'YAML:' },
    { name: 'deep nesting: 90 maps under an unknown key', path: at('deep-body.yaml'), files: [at('deep-body.yaml')], expect: 'unknown key "bogus"' },
    { name: 'dangling symlink', path: at('dangling.yaml'), files: [at('dangling.yaml')], expect: 'no such file or directory' },
    { name: '/dev/zero', path: '/dev/zero', files: ['/dev/zero'], expect: 'it is a character device, not a regular file' },
  ];
}

test('every bad input exits 2 with FILE:LINE:COL errors, no unhandled rejection, bounded memory', { timeout: 240_000 }, async (t) => {
  const scratch = tempFiles({});
  t.after(scratch.cleanup);
  const committed = committedCases();
  const cases = [...committed, ...generatedCases(scratch.dir)];
  // `validate` for every case; `run` too for the committed ones (it also writes the termination message).
  const jobs: (() => Promise<readonly [Case, string, BadInputOutcome]>)[] = [
    ...cases.map((c) => () => expectConfigError('validate', c.path, c.files, c.expect).then((o) => [c, 'validate', o] as const)),
    ...committed.map((c) => () => expectConfigError('run', c.path, c.files, c.expect).then((o) => [c, 'run', o] as const)),
  ];
  const outcomes = await inBatches(jobs, 3);
  const rows: string[] = [];
  for (const [c, command, o] of outcomes) {
    assert.ok(o.peakRssKb < RSS_BOUND_KB, `${c.name}: peak RSS ${o.peakRssKb} kB`);
    rows.push(row(c.name, command, o));
  }
  t.diagnostic(`bad-input outcomes (${outcomes.length} CLI runs, ${cases.length} inputs):\n${rows.join('\n')}`);
});

function row(name: string, command: string, o: BadInputOutcome): string {
  const rss = `${Math.round(o.peakRssKb / 1024)} MB`;
  return `| ${name} | ${command} | ${o.result.code} | ${rss} | ${Math.round(o.result.elapsedMs)} ms | ${o.firstLine.replaceAll('|', '\\|').slice(0, 110)} |`;
}
