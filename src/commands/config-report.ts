// Configuration errors and warnings as each output shows them: text lines, a JSON document, JUnit, log lines.
import { formatConfigErrors, sortConfigErrors } from '../config/errors.ts';
import type { ConfigError } from '../config/types.ts';
import type { Logger } from '../log.ts';
import { redact } from '../secrets.ts';

/** Load-time warnings as pino lines on stderr: the suite runs, but its author should know. */
export function logWarnings(log: Logger, warnings: readonly ConfigError[]): void {
  for (const w of warnings) log.warn({ file: w.at.file, line: w.at.line, col: w.at.col, path: w.path }, w.message);
}

export function configErrorsText(errors: readonly ConfigError[]): string {
  return redact(formatConfigErrors(errors));
}
