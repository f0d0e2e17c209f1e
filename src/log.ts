// Diagnostics: JSON lines on stderr in pino's format (src/log-line.ts), every line redacted, written
// synchronously. LOG_LEVEL sets the level. Our own logger: pino's stream machinery cost every start ~7 ms.
import { writeSync } from 'node:fs';
import { bindingsJson, logLine } from './log-line.ts';
import { redact } from './secrets.ts';

/** pino's level numbers: a line carries the number, not the name. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

/** `log.info({ probe }, 'message')`, `log.info('message')` or `log.error(error, 'message')`. */
export interface LogFn {
  (fields: object, msg?: string): void;
  (msg: string): void;
}

export type Logger = { readonly [level in LogLevel]: LogFn } & {
  /** A logger whose every line carries these fields after `time`, in this order. */
  child(bindings: Readonly<Record<string, unknown>>): Logger;
};

/** Where each finished line (with its newline) goes. */
export type LineSink = (line: string) => void;

/**
 * An empty or unknown LOG_LEVEL (a chart may render `LOG_LEVEL: ""`) means `info`, never a crash; `silent` writes
 * nothing. Lines go to stderr, redacted, unless a test hands over a sink of its own.
 */
export function createLogger(requested = process.env.LOG_LEVEL, sink: LineSink = writeStderr): Logger {
  const name = requested?.toLowerCase() ?? '';
  const threshold = name === 'silent' ? Infinity : Object.hasOwn(LOG_LEVELS, name) ? LOG_LEVELS[name as LogLevel] : LOG_LEVELS.info;
  return logger(threshold, '', sink);
}

function logger(threshold: number, bindings: string, sink: LineSink): Logger {
  const method = (level: number): LogFn =>
    level < threshold ? () => {} : (first: object | string, msg?: string) => sink(logLine(level, bindings, first, msg));
  return {
    trace: method(LOG_LEVELS.trace),
    debug: method(LOG_LEVELS.debug),
    info: method(LOG_LEVELS.info),
    warn: method(LOG_LEVELS.warn),
    error: method(LOG_LEVELS.error),
    fatal: method(LOG_LEVELS.fatal),
    child: (more) => logger(threshold, bindings + bindingsJson(more), sink),
  };
}

const RETRY_PAUSE_MS = 100;
let stderrClosed = false;

/**
 * Every byte of the redacted line on fd 2 before the call returns, as pino's sonic-boom in sync mode does: a
 * non-blocking pipe's EAGAIN (or EBUSY) is retried after a pause, a reader gone (EPIPE) ends logging.
 */
function writeStderr(line: string): void {
  if (stderrClosed) return;
  let bytes = Buffer.from(redact(line));
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(2, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        stderrClosed = true;
        return;
      }
      if (code !== 'EAGAIN' && code !== 'EBUSY') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_PAUSE_MS);
    }
  }
}
