// Where a finished run is written: stdout, the JUnit file, the termination message.
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorReason } from '../error-words.ts';
import type { Logger } from '../log.ts';

export const KUBERNETES_TERMINATION_LOG = '/dev/termination-log';

/** The flag's file; without the flag, Kubernetes' file only when it exists and is writable; '' turns it off. */
export function terminationLogPath(flag: string | undefined): string | null {
  if (flag !== undefined) return flag === '' ? null : flag;
  if (!existsSync(KUBERNETES_TERMINATION_LOG)) return null;
  try {
    accessSync(KUBERNETES_TERMINATION_LOG, constants.W_OK);
    return KUBERNETES_TERMINATION_LOG;
  } catch {
    return null;
  }
}

/** Why `path` could not be written (created or replaced), or undefined when it can: checked before anything runs. */
export function unwritable(path: string): string | undefined {
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) return 'it is a directory';
      accessSync(path, constants.W_OK);
      return undefined;
    }
    const dir = dirname(path);
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    return errorReason(error);
  }
}

/** The first output file named by a flag that cannot be written, as a usage error's text. */
export function outputFileProblem(files: ReadonlyArray<readonly [flag: string, path: string | null | undefined]>): string | undefined {
  for (const [flag, path] of files) {
    const why = path ? unwritable(path) : undefined;
    if (why !== undefined) return `${flag} ${path}: cannot write it (${why})`;
  }
  return undefined;
}

/** Whether it was written; a failure is logged (the files were checked at the start, so this is rare). */
export function writeOutputFile(path: string | null | undefined, text: string, what: string, log: Logger): boolean {
  if (!path) return true;
  try {
    writeFileSync(path, text);
    return true;
  } catch (error) {
    log.error({ err: error, path }, `could not write the ${what}`);
    return false;
  }
}

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}
