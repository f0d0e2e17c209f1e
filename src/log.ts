// Diagnostics: pino JSON lines on stderr, every line redacted. LOG_LEVEL sets the level.
import { pino, type Logger } from 'pino';
import { redact } from './secrets.ts';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** An empty or unknown LOG_LEVEL (a chart may render `LOG_LEVEL: ""`) means `info`, never a crash. */
export function createLogger(requested = process.env.LOG_LEVEL): Logger {
  const level = requested && LEVELS.includes(requested.toLowerCase()) ? requested.toLowerCase() : 'info';
  return pino(
    {
      level,
      base: undefined,
      hooks: { streamWrite: (line: string) => redact(line) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
