// Preloaded with `--import` into `syncproof run`: real conditions around the fork of the host-lookup
// helper (src/process/host-lookup.ts), which has no test hooks of its own.
// - HELPER_FORK_SLOW_MS: the helper boots that much slower (this file, preloaded into it, blocks it), as
//   a cold disk or a throttled CPU makes it.
// - HELPER_FORK_EMFILE=1: every fork runs with the file-descriptor table full, so it fails with EMFILE.
// - HELPER_FORK_PID_FILE: the helper's pid is appended to this file, one a line, so a test can see it killed.
// - HELPER_FORK_ERROR_MS: that long after the fork, the live child emits 'error', as Node emits it when a
//   kill or a send without callback fails (neither can be made to fail for real as root on loopback).
import childProcess, { type ChildProcess, type ForkOptions } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const slowMs = Number(process.env.HELPER_FORK_SLOW_MS ?? 0);

if (process.channel) {
  // In the helper (forked with an IPC channel): block its start.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, slowMs);
} else {
  const realFork = childProcess.fork;
  const observed = (child: ChildProcess) => {
    const pidFile = process.env.HELPER_FORK_PID_FILE;
    if (pidFile && child.pid !== undefined) appendFileSync(pidFile, `${child.pid}\n`);
    const errorMs = process.env.HELPER_FORK_ERROR_MS;
    if (errorMs) setTimeout(() => child.emit('error', Object.assign(new Error('kill EPERM'), { code: 'EPERM', syscall: 'kill' })), Number(errorMs)).unref();
    return child;
  };
  const fork = (modulePath: string, args: readonly string[], options: ForkOptions) => {
    if (slowMs) return observed(realFork(modulePath, args, { ...options, execArgv: [...(options.execArgv ?? []), '--import', import.meta.filename] }));
    if (process.env.HELPER_FORK_EMFILE !== '1') return observed(realFork(modulePath, args, options));
    const fds: number[] = [];
    try {
      for (;;) fds.push(openSync('/dev/null', 'r'));
    } catch { /* full */ }
    try {
      return realFork(modulePath, args, options);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  };
  childProcess.fork = fork as typeof childProcess.fork;
  // `import { fork } from 'node:child_process'` in src/process/host-lookup.ts sees the replacement.
  syncBuiltinESMExports();
}
