// argv → command → exit code. Command modules load lazily, so `--version` stays fast.
import { parseArgs } from 'node:util';
import { redact } from './secrets.ts';
import { closest } from './suggest.ts';
import { VERSION } from './version.ts';
import { EXIT, type CliArgs } from './commands/args.ts';

const USAGE = `Usage:
  syncproof run      [--config PATH] [--output human|json] [--junit FILE]
                     [--termination-log FILE] [--only NAME]... [--no-sinks]
  syncproof validate [--config PATH] [--offline] [--output human|json] [--junit FILE]
                                          load and check the suite, run nothing; exit 0 or 2
  syncproof schema                        print the suite file's JSON Schema (draft-07)
  syncproof history  [--config PATH] [--app A] [--suite S] [--limit N] [--output human|json]
                                          the latest runs in the suite's store
  syncproof show ID  [--config PATH] [--output human|json]      a stored run, as its report
  syncproof diff ID1 ID2 [--config PATH] [--output human|json]  what changed between two runs
  syncproof verify FILE|ID --key PUBLIC.pem [--config PATH]     check a record's signature
  syncproof --version | --help
`;

const HELP = `syncproof ${VERSION}: verify a deployment after Argo CD syncs it.

${USAGE}
--config defaults to $SYNCPROOF_CONFIG, else /etc/syncproof (a file, or a directory of *.yaml/*.yml).
--offline (validate) checks interpolations for their form without reading variables or files: a CI
          pipeline without the cluster's secrets can validate the suite.
--output json prints the run record (run), or the configuration errors as a JSON document (run, validate).
--junit FILE writes one testcase per probe, or one failed testcase per configuration error.
Output files (--junit, --termination-log) that cannot be written are a usage error before anything runs.
Exit codes: 0 passed (warnings allowed), 1 a critical probe failed or the run was aborted,
            2 configuration or usage error, 3 internal error.
`;

const OPTIONS = {
  config: { type: 'string' },
  output: { type: 'string' },
  junit: { type: 'string' },
  'termination-log': { type: 'string' },
  only: { type: 'string', multiple: true },
  'no-sinks': { type: 'boolean' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  key: { type: 'string' },
  app: { type: 'string' },
  suite: { type: 'string' },
  limit: { type: 'string' },
} as const;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(parseError(error));
  }
  const { values, positionals } = parsed;
  if (values.version) return print(`syncproof ${VERSION}\n`, EXIT.passed);
  if (values.help) return print(HELP, EXIT.passed);
  const [command, ...extra] = positionals;
  if (values.output !== undefined && values.output !== 'human' && values.output !== 'json') {
    return usage(`--output must be human or json, not "${values.output}"`);
  }
  const evidence = await import('./commands/evidence-args.ts');
  if (evidence.isEvidenceCommand(command)) {
    const { key, app, suite, limit } = values;
    return evidence.evidenceCommand(command, { config: values.config ?? (env.SYNCPROOF_CONFIG || '/etc/syncproof'), output: values.output ?? 'human', operands: extra, key, app, suite, limit }, env);
  }
  if (extra.length) return usage(`unexpected argument "${extra[0]}"`);
  if ((values.key ?? values.app ?? values.suite ?? values.limit) !== undefined) return usage('--key, --app, --suite and --limit are options of history, show, diff and verify');
  const args: CliArgs = {
    config: values.config ?? (env.SYNCPROOF_CONFIG || '/etc/syncproof'),
    output: values.output ?? 'human',
    junit: values.junit,
    terminationLog: values['termination-log'],
    only: values.only ?? [],
    sinks: !values['no-sinks'],
    offline: values.offline === true,
  };
  if (args.offline && command !== 'validate') return usage('--offline is an option of validate only');
  // A short run's V8 settings, set before the command's modules are compiled and the suite is loaded, for
  // validate as for run: a compile cache primed by `run` (the image's) then serves both.
  if (command === 'run' || command === 'validate') (await import('./process/v8-tuning.ts')).tuneV8ForShortRun(command);
  switch (command) {
    case 'run':
      return (await import('./commands/run.ts')).runCommand(args, env);
    case 'validate':
      return (await import('./commands/validate.ts')).validateCommand(args, env);
    case 'schema':
      return (await import('./commands/schema.ts')).schemaCommand();
    case undefined:
      return usage('a command is required: run, validate, schema, history, show, diff or verify');
    default:
      return usage(`unknown command "${command}"${(await import('./suggest.ts')).didYouMean(command, ['run', 'validate', 'schema', ...Object.keys(evidence.EVIDENCE_COMMANDS)])}`);
  }
}

function usage(message: string): number {
  process.stderr.write(`syncproof: ${message}\n${USAGE}Try 'syncproof --help'.\n`);
  return EXIT.usage;
}

/** node:util's wording (`Unknown option '--ouput'. To specify a positional argument…`) in syncproof's own. */
function parseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  const names = Object.keys(OPTIONS).map((name) => `--${name}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option ${option}${closestOption(option, names)}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
  }
  return message;
}

function closestOption(option: string, names: readonly string[]): string {
  const hint = closest(option, names);
  return hint === undefined ? '' : ` (did you mean ${hint}?)`;
}

function print(text: string, code: number): number {
  process.stdout.write(text);
  return code;
}

/** The process entry: exit codes are only the documented ones, whatever happens. */
export async function runCli(): Promise<void> {
  const crash = (error: unknown) => {
    try {
      process.stderr.write(redact(`syncproof: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
    } finally {
      process.exit(EXIT.internal);
    }
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const code = await main(process.argv.slice(2)).catch((error: unknown) => {
    crash(error);
    return EXIT.internal;
  });
  process.exitCode = code;
  // Every probe and sink releases its connections; this only bounds a driver that does not.
  setTimeout(() => process.exit(code), 3000).unref();
}

if (import.meta.main) await runCli();
