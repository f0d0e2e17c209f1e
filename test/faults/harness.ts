// One fault row: run the real CLI against a fault, then check the run guarantees every row shares
// (documented exit code, report, termination message, record written and delivered, natural exit, no
// unhandled rejection, bounded time) and the probe's own verdict, reason and time to verdict.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { ProbeRecord, ProbeVerdict, RunRecord, RunVerdict } from '../../src/record/types.ts';
import { CLI, tempFiles } from '../support/cli.ts';
import { startReceiver } from '../support/receiver.ts';

const EXIT_PROBE = fileURLToPath(new URL('./exit-probe.ts', import.meta.url));
/** The run's grace after SIGTERM or the deadline (docs/sinks.md#delivery-parallel-retried-bounded), and slack for process start-up on a busy machine. */
export const GRACE_MS = 10_000;
export const STARTUP_MS = 6_000;
/** The chart's memory limit for the hook's container (chart/values.yaml: 256Mi). */
export const CHART_MEMORY_MB = 256;

export interface ExitReport {
  readonly code: number;
  readonly natural: boolean;
  readonly unhandled: readonly string[];
  readonly warnings: readonly string[];
  readonly peakRssKb: number | null;
  readonly stdoutToExitMs: number | null;
  readonly active: readonly string[];
}

export interface FaultSpec {
  /** The suite's YAML up to its sinks (deadline, defaults, probes). */
  readonly suite: string;
  /** More sink list items (YAML) after the file sink. */
  readonly sinks?: string;
  /** Also deliver to a local webhook receiver that answers 200 (default true). */
  readonly webhook?: boolean;
  /** Run the CLI inside this network namespace. */
  readonly namespace?: string;
  /** Wraps the CLI's command line (e.g. test/support/dead-resolver.ts: a resolver that never answers). */
  readonly wrap?: (command: string, args: readonly string[]) => [string, string[]];
  readonly env?: NodeJS.ProcessEnv;
  readonly onSpawn?: (child: ChildProcess) => void;
  /** One more module preloaded into the CLI (to inject a misbehaving driver). */
  readonly preload?: string;
  /** More files beside suite.yaml in the config directory (name → text). */
  readonly files?: Readonly<Record<string, string>>;
  /** Called with the config directory before the run (e.g. to make a FIFO in it). */
  readonly prepare?: (dir: string) => void;
  /** Pass the config directory, not suite.yaml, as --config. */
  readonly configDir?: boolean;
}

export interface FaultRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
  /** What the file sink wrote, if it did. */
  readonly record: RunRecord | undefined;
  /** What the webhook received. */
  readonly delivered: readonly RunRecord[];
  readonly termination: string;
  readonly exit: ExitReport | undefined;
}

export async function runFault(t: TestContext, spec: FaultSpec): Promise<FaultRun> {
  const files = tempFiles({});
  t.after(files.cleanup);
  const receiver = spec.webhook === false ? undefined : await startReceiver([{ status: 200 }]);
  if (receiver) t.after(() => receiver.close());
  const sinks = [`  - type: file\n    path: ${files.path('record.json')}\n`];
  if (receiver) sinks.push(`  - type: webhook\n    url: ${receiver.origin}/hook\n`);
  if (spec.sinks) sinks.push(spec.sinks);
  const config = tempFiles({ ...spec.files, 'suite.yaml': `${spec.suite.trimEnd()}\nsinks:\n${sinks.join('')}` });
  t.after(config.cleanup);
  spec.prepare?.(config.dir);
  const args = [CLI, 'run', '--config', spec.configDir ? config.dir : config.path('suite.yaml'), '--termination-log', files.path('term')];
  const env = {
    PATH: process.env.PATH, LOG_LEVEL: 'silent', ...spec.env,
    NODE_OPTIONS: `--import ${EXIT_PROBE}${spec.preload ? ` --import ${spec.preload}` : ''}`, FAULT_EXIT_FILE: files.path('exit.json'),
  };
  const plain: [string, string[]] = spec.namespace ? ['ip', ['netns', 'exec', spec.namespace, process.execPath, ...args]] : [process.execPath, args];
  const command = spec.wrap ? spec.wrap(...plain) : plain;
  const started = performance.now();
  const child = spawn(command[0], command[1], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // Past deadline + grace + the watchdog's moment, a hung child is a failed row, not a hung matrix.
  const killer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000 + GRACE_MS + 10_000);
  spec.onSpawn?.(child);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  clearTimeout(killer);
  const elapsedMs = performance.now() - started;
  const read = (name: string): string | undefined => (existsSync(files.path(name)) ? readFileSync(files.path(name), 'utf8') : undefined);
  const recordText = read('record.json');
  const exitText = read('exit.json');
  return {
    code, signal, stdout, stderr, elapsedMs,
    record: recordText === undefined ? undefined : JSON.parse(recordText) as RunRecord,
    delivered: (receiver?.requests ?? []).map((r) => JSON.parse(r.body.toString()) as RunRecord),
    termination: read('term') ?? '',
    exit: exitText === undefined ? undefined : JSON.parse(exitText) as ExitReport,
  };
}

export interface RunExpectation {
  readonly code: 0 | 1;
  readonly verdict: RunVerdict;
  /** The whole process, start-up included, ends within this; never past deadline + grace + start-up. */
  readonly withinMs: number;
  readonly deadlineMs?: number;
  /** The webhook receiver gets the record (default true). */
  readonly webhook?: boolean;
  /** The event loop drains by itself after the report (default true); false: the 3 s backstop may end it. */
  readonly natural?: boolean;
  /** Peak RSS of the whole process at most this (e.g. CHART_MEMORY_MB). */
  readonly maxRssMb?: number;
}

/** The guarantees every run keeps, whatever the fault. */
export function assertRunGuarantees(run: FaultRun, expected: RunExpectation): RunRecord {
  const context = `\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr.slice(0, 4000)}`;
  assert.equal(run.signal, null, `killed by ${run.signal}${context}`);
  assert.equal(run.code, expected.code, `exit code${context}`);
  assert.ok(run.exit, `the exit probe wrote nothing${context}`);
  assert.deepEqual(run.exit.unhandled, [], 'no unhandled rejection or exception');
  if (expected.natural !== false) assert.ok(run.exit.natural, `the event loop drained by itself (still active at exit: ${run.exit.active.join(', ')})`);
  assert.doesNotMatch(run.stderr, /internal error/);
  const verdictLine = /^(PASSED|FAILED|ABORTED)\b.*$/m.exec(run.stdout)?.[0];
  assert.ok(verdictLine, `the report has a verdict line${context}`);
  assert.equal(run.termination.split('\n')[0], verdictLine, 'the termination message starts with the verdict line');
  assert.ok(run.record, `the file sink wrote the record${context}`);
  assert.equal(run.record.verdict, expected.verdict);
  assert.match(run.stdout, /\nsink file: delivered\n/);
  if (expected.webhook !== false) {
    assert.deepEqual(run.delivered.map((r) => r.id), [run.record.id], 'the webhook received the same record once');
    assert.match(run.stdout, /\nsink webhook: delivered\n/);
  }
  const deadlineMs = expected.deadlineMs ?? 5 * 60_000;
  assert.ok(run.elapsedMs <= Math.min(expected.withinMs, deadlineMs + GRACE_MS + STARTUP_MS), `took ${Math.round(run.elapsedMs)}ms, bound ${expected.withinMs}ms`);
  if (expected.maxRssMb !== undefined) assertPeakRss(run, expected.maxRssMb);
  return run.record;
}

function assertPeakRss(run: FaultRun, maxMb: number): void {
  const peakMb = (run.exit?.peakRssKb ?? Infinity) / 1024;
  assert.ok(peakMb <= maxMb, `peak RSS ${Math.round(peakMb)} MB, bound ${maxMb} MB`);
}

export interface ConfigErrorExpectation {
  /** Every line of the errors (stderr and the termination message after its first line) matches one of these, in order. */
  readonly errors: readonly RegExp[];
  readonly withinMs: number;
  readonly maxRssMb?: number;
}

/** A run refused at its configuration: exit 2, the errors on stderr and in the termination message, no record, bounded. */
export function assertConfigError(run: FaultRun, expected: ConfigErrorExpectation): string[] {
  const context = `\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr.slice(0, 4000)}`;
  assert.equal(run.signal, null, `killed by ${run.signal}${context}`);
  assert.equal(run.code, 2, `exit code${context}`);
  assert.ok(run.exit, `the exit probe wrote nothing${context}`);
  assert.deepEqual(run.exit.unhandled, [], 'no unhandled rejection or exception');
  const lines = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
  assert.equal(lines.length, expected.errors.length, `one line per error${context}`);
  expected.errors.forEach((pattern, i) => assert.match(lines[i]!, pattern));
  assert.deepEqual(run.termination.split('\n'), ['CONFIGURATION ERROR', ...lines], 'the termination message says the same');
  assert.equal(run.record, undefined, 'no run, no record');
  assert.ok(run.elapsedMs <= expected.withinMs, `took ${Math.round(run.elapsedMs)}ms, bound ${expected.withinMs}ms`);
  if (expected.maxRssMb !== undefined) assertPeakRss(run, expected.maxRssMb);
  return lines;
}

/** Notes a row whose subject is the configuration: its first error line and the whole process's time. */
export function noteConfigRow(fault: string, what: string, run: FaultRun, reason: string, boundMs: number): void {
  const file = process.env.FAULT_RESULTS;
  if (!file) return;
  const entry: MatrixRow = {
    fault, probe: what, verdict: 'config error', reason, verdictMs: Math.round(run.elapsedMs), boundMs,
    processMs: Math.round(run.elapsedMs), peakRssMb: run.exit?.peakRssKb ? Math.round(run.exit.peakRssKb / 1024) : null, exitCode: run.code,
  };
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

export interface ProbeExpectation {
  readonly verdict: ProbeVerdict;
  /** Matches the whole one-line summary the report prints after the name. */
  readonly reason: RegExp;
  /** The probe's time to verdict, from the record. */
  readonly maxMs: number;
}

/** One probe's verdict, one-line reason (in the report, the record and the termination message) and time to verdict. */
export function assertProbe(run: FaultRun, name: string, expected: ProbeExpectation): ProbeRecord {
  const probe = run.record?.probes.find((p) => p.name === name);
  assert.ok(probe, `no probe "${name}" in the record`);
  assert.equal(probe.verdict, expected.verdict, `${name}: ${probe.summary}`);
  assert.match(probe.summary, expected.reason);
  assert.ok(!probe.summary.includes('\n'), 'one line');
  const mark = { passed: '✓', failed: '✗', warned: '!', skipped: '-' }[probe.verdict];
  assert.ok(run.stdout.includes(`  ${mark} ${name}: ${probe.summary}`), `the report shows ${name}'s line\n${run.stdout}`);
  if (probe.verdict === 'failed') assert.ok(run.termination.includes(`✗ ${name}: ${probe.summary}`), 'the termination message shows it');
  assert.ok(probe.durationMs <= expected.maxMs, `${name} took ${probe.durationMs}ms to its verdict, bound ${expected.maxMs}ms`);
  return probe;
}

export interface MatrixRow {
  readonly fault: string;
  readonly probe: string;
  readonly verdict: string;
  readonly reason: string;
  /** The probe's time to verdict (record), and the bound the row asserts. */
  readonly verdictMs: number;
  readonly boundMs: number;
  /** The whole process, start-up to exit, and its peak RSS. */
  readonly processMs: number;
  readonly peakRssMb: number | null;
  readonly exitCode: number | null;
}

/** Notes a checked row for test/faults/report.ts (when $FAULT_RESULTS names a file). */
export function noteRow(fault: string, run: FaultRun, probe: ProbeRecord, boundMs: number): void {
  const file = process.env.FAULT_RESULTS;
  if (!file) return;
  const row: MatrixRow = {
    fault, probe: `${probe.type} ${probe.name}`, verdict: probe.verdict, reason: probe.summary,
    verdictMs: probe.durationMs, boundMs, processMs: Math.round(run.elapsedMs),
    peakRssMb: run.exit?.peakRssKb ? Math.round(run.exit.peakRssKb / 1024) : null, exitCode: run.code,
  };
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** Checks a probe and notes its row. */
export function row(fault: string, run: FaultRun, name: string, expected: ProbeExpectation): ProbeRecord {
  const probe = assertProbe(run, name, expected);
  noteRow(fault, run, probe, expected.maxMs);
  return probe;
}

/** Notes a row whose subject is a sink delivery: the report line that matches, and the whole process's time. */
export function noteSinkRow(fault: string, run: FaultRun, line: RegExp, boundMs: number): string {
  const found = run.stdout.split('\n').filter((l) => line.test(l));
  assert.equal(found.length, 1, `one report line matches ${line}\n${run.stdout}`);
  const text = found[0]!;
  const file = process.env.FAULT_RESULTS;
  if (file) {
    const entry: MatrixRow = {
      fault, probe: text.slice(0, text.indexOf(':')), verdict: / delivered$/.test(text) ? 'delivered' : 'failed',
      reason: text.slice(text.indexOf(':') + 2), verdictMs: Math.round(run.elapsedMs), boundMs, processMs: Math.round(run.elapsedMs),
      peakRssMb: run.exit?.peakRssKb ? Math.round(run.exit.peakRssKb / 1024) : null, exitCode: run.code,
    };
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
  }
  return text;
}
