// Measuring one process: wall time from spawn to exit, its CPU time and peak RSS (GNU time), its exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'syncproof-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/**
 * Runs `command` under /usr/bin/time; wall time is ours (process start to exit, 1 ms resolution).
 * GNU time sees only the command's own process. With `tree`, the processes it forks (syncproof's
 * host-lookup helper, killed unreaped at exit) are added: each one's last VmHWM and CPU time, read from
 * /proc every 5 ms while it runs; peak RSS is then the sum of the processes' peaks (an upper bound).
 */
export function measure(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, tree = false): Promise<Measured> {
  const out = join(scratch, `time-${counter++}`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', out, command, ...args], {
    env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forked = new Map<number, { rssMb: number; cpuMs: number }>();
  const poll = tree ? setInterval(() => {
    for (const pid of childrenOf(childrenOf(child.pid!)[0])) {
      try {
        const rssMb = peakRssMbOf(pid); // NaN once it is a zombie: keep the last reading
        if (Number.isFinite(rssMb)) forked.set(pid, { rssMb, cpuMs: cpuMsOf(pid) });
      } catch { /* gone */ }
    }
  }, 5) : undefined;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(poll);
      const [user, sys, rssKb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      const sum = (key: 'rssMb' | 'cpuMs') => [...forked.values()].reduce((total, p) => total + p[key], 0);
      resolve({ wallMs, cpuMs: (user! + sys!) * 1000 + sum('cpuMs'), rssMb: rssKb! / 1024 + sum('rssMb'), code, stdout, stderr });
    });
  });
}

/** The child processes of `pid` (none once it is gone). */
function childrenOf(pid: number | undefined): number[] {
  try {
    return pid === undefined ? [] : readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** User + system CPU time of a running process so far, from /proc/PID/stat (clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
}

/** Peak RSS of a running process (VmHWM), MB. */
export function peakRssMbOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) / 1024;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const scratchDir = scratch;
