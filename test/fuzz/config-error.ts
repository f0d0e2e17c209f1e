// Runs the real CLI on bad input and checks what every bad input must give: exit 2 (never 3, never a
// signal), and stderr made only of `FILE:LINE:COL  …` lines. The process is watched by the fault
// matrix's exit probe (test/faults/exit-probe.ts) for unhandled rejections and its peak RSS.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempFiles, type CliResult } from '../support/cli.ts';

const EXIT_PROBE = fileURLToPath(new URL('../faults/exit-probe.ts', import.meta.url));
const ERROR_LINE = /^(.+):(\d+):(\d+)  \S/;

export interface BadInputOutcome {
  readonly result: CliResult;
  readonly peakRssKb: number;
  /** The first error line, with the directory of the input left out. */
  readonly firstLine: string;
}

/** `syncproof <command> --config PATH` on bad input; asserts exit 2 and positioned errors in `files`. */
export async function expectConfigError(command: 'validate' | 'run', path: string, files: readonly string[], expectText: string): Promise<BadInputOutcome> {
  const scratch = tempFiles({});
  try {
    const exitFile = join(scratch.dir, 'exit.json');
    const extra = command === 'run' ? ['--no-sinks', '--termination-log', join(scratch.dir, 'termination')] : [];
    const result = await runCli([command, '--config', path, ...extra], {
      env: { NODE_OPTIONS: `--import=${EXIT_PROBE}`, FAULT_EXIT_FILE: exitFile, LOG_LEVEL: 'silent' },
    });
    const shown = `${command} ${path}\nexit ${result.code} ${result.signal ?? ''}\nstdout: ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr.slice(0, 2000)}`;
    assert.equal(result.signal, null, shown);
    assert.equal(result.code, 2, shown);
    assert.equal(result.stdout, '', shown);
    const lines = result.stderr.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0, shown);
    for (const line of lines) {
      const m = ERROR_LINE.exec(line);
      assert.ok(m, `not FILE:LINE:COL: ${JSON.stringify(line)}\n${shown}`);
      assert.ok(files.includes(m[1]!), `the error names ${m[1]}, not one of ${files.join(', ')}\n${shown}`);
      assert.ok(Number(m[2]) >= 1 && Number(m[3]) >= 1, shown);
    }
    assert.ok(result.stderr.includes(expectText), `expected ${JSON.stringify(expectText)}\n${shown}`);
    const exit = JSON.parse(readFileSync(exitFile, 'utf8')) as { unhandled: string[]; peakRssKb: number | null };
    assert.deepEqual(exit.unhandled, [], shown);
    if (command === 'run') {
      const termination = readFileSync(join(scratch.dir, 'termination'), 'utf8');
      assert.match(termination, /^CONFIGURATION ERROR\n/, 'the termination message says why');
    }
    return { result, peakRssKb: exit.peakRssKb ?? 0, firstLine: lines[0]!.split(`${dirname(files[0]!)}/`).join('') };
  } finally {
    rmSync(scratch.dir, { recursive: true, force: true });
  }
}

/** Runs `jobs` with at most `width` at once (the machine is shared), in order of their results. */
export async function inBatches<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}
