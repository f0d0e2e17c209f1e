// Diagnostics: pino JSON lines on stderr, every line redacted. LOG_LEVEL sets the level.
import { pino, type Logger } from 'pino';
import { redact } from './secrets.ts';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: { streamWrite: (line: string) => redact(line) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** For code that runs before the CLI made one, and for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
