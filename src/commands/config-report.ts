// A suite that does not load, in every output the command was asked for; load-time warnings as log lines.
import { formatConfigErrors } from '../config/errors.ts';
import type { ConfigError } from '../suite.ts';
import type { CliArgs } from './args.ts';
import type { Logger } from '../log.ts';
import { renderErrorsJson, renderErrorsJunit, configErrorsJson, type ConfigErrorJson } from '../report/config-errors.ts';
import { fitTermination } from '../report/termination.ts';
import { redact } from '../secrets.ts';
import { writeOutputFile, writeStdout } from './outputs.ts';

/** Load-time warnings as log lines on stderr: the suite runs, but its author should know. */
export function logWarnings(log: Logger, warnings: readonly ConfigError[]): void {
  for (const w of warnings) log.warn({ file: w.at.file, line: w.at.line, col: w.at.col, path: w.path }, w.message);
}

export function configErrorsText(errors: readonly ConfigError[]): string {
  return redact(formatConfigErrors(errors));
}

/**
 * Text lines on stderr (always), the JSON document on stdout with `--output json`, one failed testcase per error
 * with `--junit`, and the termination message when there is one. Returns the exit code, 2.
 */
export async function reportConfigErrors(
  errors: readonly ConfigErrorJson[],
  text: string,
  args: Pick<CliArgs, 'output' | 'junit'>,
  terminationLog: string | null,
  log: Logger,
  stderrText = text,
): Promise<number> {
  process.stderr.write(`${stderrText}\n`);
  if (args.output === 'json') await writeStdout(renderErrorsJson(errors));
  writeOutputFile(args.junit, renderErrorsJunit(errors), 'JUnit report', log);
  writeOutputFile(terminationLog, fitTermination(['CONFIGURATION ERROR', ...text.split('\n')]), 'termination message', log);
  return 2;
}

export { configErrorsJson };
