import type { CliArgs } from '../cli.ts';
import { formatConfigErrors } from '../config/errors.ts';
import { loadSuite } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { redact } from '../secrets.ts';
import { logWarnings } from './config-report.ts';

export async function validateCommand(args: CliArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const result = await loadSuite(args.config, env);
  if (!result.ok) {
    process.stderr.write(redact(formatConfigErrors(result.errors)) + '\n');
    return 2;
  }
  const { suite } = result;
  logWarnings(createLogger(env.LOG_LEVEL), result.warnings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  process.stdout.write(redact(`valid: suite ${suite.name}, ${plural(suite.probes.length, 'probe')}, ${plural(suite.sinks.length, 'sink')} (${suite.files.join(', ')})\n`));
  return 0;
}
