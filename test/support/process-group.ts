// Throwaway servers started as process groups (a wrapper script's children too) in temp dirs of their own:
// killed whole and their dirs removed by stop(), and also when the test process exits, so a crashed test
// leaves no server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const pid of liveGroups) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

export interface Group {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Still running (its group not yet gone). */
  alive(): boolean;
  /** SIGKILL to the whole group, then waits for the exit. */
  kill(): Promise<void>;
}

/** Starts `command` as a new process group; its stdout and stderr go to `onOutput`. */
export function spawnGroup(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; onOutput?: (chunk: Buffer) => void } = {}): Group {
  const child = spawn(command, [...args], { ...(options.env ? { env: options.env } : {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  liveGroups.add(pid);
  if (options.onOutput) {
    child.stdout?.on('data', options.onOutput);
    child.stderr?.on('data', options.onOutput);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => { liveGroups.delete(pid); resolve(); }));
  return {
    child,
    exited,
    alive: () => liveGroups.has(pid),
    kill: async () => {
      if (!liveGroups.has(pid)) return;
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
      await exited;
    },
  };
}

/** The last `limit` characters a server printed, for the error when it does not start. */
export function outputTail(limit: number): { readonly keep: (chunk: Buffer) => void; readonly text: () => string } {
  let output = '';
  return { keep: (chunk) => { output = (output + chunk.toString()).slice(-limit); }, text: () => output };
}

/** A temp dir removed by `removeTempDir` or, at the latest, when the test process exits. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}
