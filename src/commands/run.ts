// `syncproof run`: load, probe, record, deliver, report, and say with the exit code whether the sync is good.
import type { CliArgs } from './args.ts';
import { loadSuite } from '../config/load.ts';
import { formatDuration } from '../duration.ts';
import { createLogger } from '../log.ts';
import { appContext, buildRecord } from '../record/record.ts';
import { withEvidence } from '../run/evidence.ts';
import { applyBaselines } from '../run/baselines.ts';
import type { SinkDelivery } from '../record/types.ts';
import { finalVerdict } from '../record/verdict.ts';
import { renderHuman } from '../report/human.ts';
import { renderJson } from '../report/json.ts';
import { renderJunit } from '../report/junit.ts';
import { renderTermination } from '../report/termination.ts';
import { runSuite } from '../run/runner.ts';
import { tuneV8ForShortRun } from '../process/v8-tuning.ts';
import { redact } from '../secrets.ts';
import { signRecord } from '../signing/sign.ts';
import { deliverAll } from '../sinks/deliver.ts';
import { sinkTypes } from '../sinks/index.ts';
import { deliveryLine } from '../report/delivery-line.ts';
import { didYouMean } from '../suggest.ts';
import { installHostLookup } from '../process/host-lookup.ts';
import { configErrorsText, logWarnings, reportConfigErrors, configErrorsJson } from './config-report.ts';
import { outputFileProblem, terminationLogPath, writeOutputFile, writeStdout } from './outputs.ts';

/** After a SIGTERM or the deadline, the record still gets this long to reach the sinks. */
export const GRACE_MS = 10_000;
const DELIVERY_WINDOW_MS = 30_000;

/** Aborts GRACE_MS after `signal` does: a SIGTERM during delivery still leaves the sinks their grace. */
function graceAfter(signal: AbortSignal): AbortSignal {
  const grace = new AbortController();
  const arm = () => setTimeout(() => grace.abort(signal.reason), GRACE_MS).unref();
  if (signal.aborted) arm();
  else signal.addEventListener('abort', arm, { once: true });
  return grace.signal;
}

export async function runCommand(args: CliArgs, env: NodeJS.ProcessEnv): Promise<number> {
  tuneV8ForShortRun('run');
  // Before any connection: a host-name lookup that never returns must not hold the exit.
  installHostLookup();
  const log = createLogger(env.LOG_LEVEL);
  const terminationLog = terminationLogPath(args.terminationLog);
  // Before anything runs: a report that cannot be written must not leave a green run with a log line.
  const unwritable = outputFileProblem([['--junit', args.junit], ['--termination-log', args.terminationLog]]);
  if (unwritable !== undefined) {
    process.stderr.write(`syncproof: ${redact(unwritable)}\n`);
    return 2;
  }
  // Caught from the start, so a signal during loading still ends in a documented exit code.
  const stop = new AbortController();
  // Kept for the whole run: a repeated signal must not kill the process with the record half delivered.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    log.warn({ signal }, 'stopping: finishing the record and delivering it');
    stop.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const loaded = await loadSuite(args.config, env);
  if (!loaded.ok) return reportConfigErrors(configErrorsJson(loaded.errors), configErrorsText(loaded.errors), args, terminationLog, log);
  const { suite } = loaded;
  logWarnings(log, loaded.warnings);
  const names = new Set(suite.probes.map((p) => p.name));
  const unknown = args.only.find((n) => !names.has(n));
  if (unknown !== undefined) {
    const message = `--only "${unknown}" names no probe of suite ${suite.name}${didYouMean(unknown, names)}`;
    const error = { file: null, line: null, col: null, path: '--only', message };
    return reportConfigErrors([error], redact(message), args, terminationLog, log, redact(`syncproof: ${message}`));
  }

  // Whatever a driver or sink does, the process never outlives deadline + grace (or the delivery window) by more than a moment.
  const arm = (ms: number, what: string) => setTimeout(() => {
    log.fatal(`${what} exceeded; exiting`);
    writeOutputFile(terminationLog, `ABORTED: ${what} exceeded`, 'termination message', log);
    process.exit(1);
  }, ms + 2_000).unref();
  let watchdog = arm(suite.deadlineMs + GRACE_MS, `deadline ${formatDuration(suite.deadlineMs)} and grace`);

  log.info({ suite: suite.name, probes: suite.probes.length, files: suite.files }, 'run started');
  // Earlier runs first (bounded by the store's timeout): baselines resolve before the first attempt.
  // Imported only for a suite with a store: the store's code (and node:fs/promises with it) is no cost of a run without one.
  const evidence = suite.store ? await (await import('../store/evidence.ts')).readEvidence(suite.store, suite.name, appContext(env).name, log, stop.signal) : null;
  const applied = applyBaselines(suite, evidence);
  const sinks = args.sinks ? suite.sinks.map((s) => ({ spec: s.spec, type: sinkTypes[s.type]! })) : [];
  const outcome = await runSuite(applied.suite, { log, signal: stop.signal, only: args.only.length ? new Set(args.only) : undefined, sinks });
  const record = signRecord(withEvidence(buildRecord(suite, outcome, env), evidence, applied), suite.signing);
  const windowMs = record.verdict === 'aborted' ? GRACE_MS : DELIVERY_WINDOW_MS;
  // Delivery has its own window: a slow optional sink cannot get a finished run killed.
  clearTimeout(watchdog);
  watchdog = arm(windowMs, 'delivery window');
  const deliveries: SinkDelivery[] = args.sinks
    ? await deliverAll(record, suite.sinks, { windowMs, log, signal: graceAfter(stop.signal) })
    : [];
  const verdict = finalVerdict(record, deliveries);
  log.info({ id: record.id, verdict: record.verdict, durationMs: record.durationMs }, verdict.line);

  const color = process.stdout.isTTY === true && !env.NO_COLOR;
  await writeStdout(args.output === 'json'
    ? renderJson(record, deliveries)
    : renderHuman(record, { color, deliveries, deliveryLines: deliveries.map(deliveryLine) }));
  const junitWritten = writeOutputFile(args.junit, renderJunit(record), 'JUnit report', log);
  writeOutputFile(terminationLog, renderTermination(record, deliveries), 'termination message', log);

  clearTimeout(watchdog);
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  // A JUnit file CI expects and does not get is not a pass (it was writable at the start, so this is rare).
  return verdict.passed ? (junitWritten ? 0 : 2) : 1;
}
