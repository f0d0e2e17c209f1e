// What the command line asks of a command, and the exit codes every command ends with (0, 1, 2, 3 only).
export const EXIT = { passed: 0, failed: 1, usage: 2, internal: 3 } as const;

export interface CliArgs {
  readonly config: string;
  readonly output: 'human' | 'json';
  readonly junit: string | undefined;
  /** undefined: the Kubernetes default; '': off. */
  readonly terminationLog: string | undefined;
  readonly only: readonly string[];
  readonly sinks: boolean;
  /** validate: interpolations checked for their form, not resolved. */
  readonly offline: boolean;
}
