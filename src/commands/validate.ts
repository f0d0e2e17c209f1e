// `syncproof validate`: load and check the suite, run nothing; exit 0 or 2. `--offline` checks interpolations
// for their form only, so a CI pipeline without the cluster's secrets and files can run it.
import type { CliArgs } from './args.ts';
import { loadSuite } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { renderErrorsJunit } from '../report/config-errors.ts';
import { redact, redactDeep } from '../secrets.ts';
import { configErrorsText, logWarnings, reportConfigErrors, configErrorsJson } from './config-report.ts';
import { outputFileProblem, writeOutputFile, writeStdout } from './outputs.ts';

export async function validateCommand(args: CliArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const log = createLogger(env.LOG_LEVEL);
  const unwritable = outputFileProblem([['--junit', args.junit]]);
  if (unwritable !== undefined) {
    process.stderr.write(`syncproof: ${redact(unwritable)}\n`);
    return 2;
  }
  const result = await loadSuite(args.config, env, { offline: args.offline });
  if (!result.ok) return reportConfigErrors(configErrorsJson(result.errors), configErrorsText(result.errors), args, null, log);
  const { suite } = result;
  logWarnings(log, result.warnings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const mode = args.offline ? ' (offline: interpolations not resolved)' : '';
  writeOutputFile(args.junit, renderErrorsJunit([]), 'JUnit report', log);
  if (args.output === 'json') {
    const doc = { valid: true, offline: args.offline, suite: suite.name, probes: suite.probes.length, sinks: suite.sinks.length, files: suite.files, warnings: configErrorsJson(result.warnings) };
    await writeStdout(JSON.stringify(redactDeep(doc), null, 2) + '\n');
    return 0;
  }
  await writeStdout(redact(`valid${mode}: suite ${suite.name}, ${plural(suite.probes.length, 'probe')}, ${plural(suite.sinks.length, 'sink')} (${suite.files.join(', ')})\n`));
  return 0;
}
