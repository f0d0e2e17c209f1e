// The arguments of the commands that read evidence: history, show, diff, verify.
import type { CliArgs } from './args.ts';

export const EVIDENCE_COMMANDS = { history: 0, show: 1, diff: 2, verify: 1 } as const;
export type EvidenceCommand = keyof typeof EVIDENCE_COMMANDS;

export interface EvidenceArgs {
  readonly config: string;
  readonly output: CliArgs['output'];
  /** The command's positional operands: an id, two ids, a file or an id. */
  readonly operands: readonly string[];
  readonly key: string | undefined;
  readonly app: string | undefined;
  readonly suite: string | undefined;
  readonly limit: string | undefined;
}

export function isEvidenceCommand(command: string | undefined): command is EvidenceCommand {
  return command !== undefined && Object.hasOwn(EVIDENCE_COMMANDS, command);
}

export async function evidenceCommand(command: EvidenceCommand, args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const wanted = EVIDENCE_COMMANDS[command];
  const usage = (message: string) => {
    process.stderr.write(`syncproof: ${message}\nTry 'syncproof --help'.\n`);
    return 2;
  };
  if (args.operands.length !== wanted) {
    const what = { history: 'no operand', show: 'one run id', diff: 'two run ids', verify: 'a record file or a run id' }[command];
    return usage(`${command} takes ${what}${args.operands.length > wanted ? `, not "${args.operands[wanted]}"` : ''}`);
  }
  if (command !== 'verify' && args.key !== undefined) return usage('--key is an option of verify');
  if (command !== 'history' && (args.app ?? args.suite ?? args.limit) !== undefined) return usage('--app, --suite and --limit are options of history');
  switch (command) {
    case 'verify': return (await import('./verify.ts')).verifyCommand(args, env);
    case 'history': return (await import('./history.ts')).historyCommand(args, env);
    case 'show': return (await import('./show.ts')).showCommand(args, env);
    case 'diff': return (await import('./diff.ts')).diffCommand(args, env);
  }
}
