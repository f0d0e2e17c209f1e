// Where a finished run is written: stdout, the JUnit file, the termination message.
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
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

export function writeOutputFile(path: string | null | undefined, text: string, what: string, log: Logger): void {
  if (!path) return;
  try {
    writeFileSync(path, text);
  } catch (error) {
    log.error({ err: error, path }, `could not write the ${what}`);
  }
}

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}
