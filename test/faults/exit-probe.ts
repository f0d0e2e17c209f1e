// Preloaded into the CLI under test (NODE_OPTIONS=--import): records how the process ended, so a fault
// row can check the run guarantees from outside. Writes JSON to $FAULT_EXIT_FILE on exit:
// - natural: the event loop drained by itself ('beforeExit'), i.e. no stray socket, timer or handle kept
//   it alive until the CLI's 3 s backstop or the watchdog called process.exit;
// - unhandled: rejections and exceptions nobody handled; warnings: process warnings;
// - peakRssKb: VmHWM from /proc/self/status, read just before exit;
// - stdoutToExitMs: from the last write to stdout (the report) to exit;
// - active: resources still alive at exit (what kept the loop alive when natural is false).
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.FAULT_EXIT_FILE;
// The process's exit only: a worker thread (a regex under its bound) ends on its own.
if (out && isMainThread) {
  let natural = false;
  let lastStdout = 0;
  const unhandled: string[] = [];
  const warnings: string[] = [];
  process.on('beforeExit', () => { natural = true; });
  process.on('unhandledRejection', (reason) => { unhandled.push(`unhandled rejection: ${String(reason)}`); });
  process.on('uncaughtExceptionMonitor', (error) => { unhandled.push(`uncaught exception: ${String(error)}`); });
  process.on('warning', (warning) => { warnings.push(`${warning.name}: ${warning.message}`); });
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((...args: unknown[]) => {
    lastStdout = performance.now();
    return write(...args);
  }) as typeof process.stdout.write;
  process.on('exit', (code) => {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(out, JSON.stringify({
      code,
      natural,
      unhandled,
      warnings,
      peakRssKb: hwm ? Number(hwm[1]) : null,
      stdoutToExitMs: lastStdout ? Math.round(performance.now() - lastStdout) : null,
      active: process.getActiveResourcesInfo(),
    }));
  });
}
