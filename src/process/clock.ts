// Milliseconds on a monotonic clock, for durations and schedules within a run. process.hrtime, not
// `performance.now()`: the global's first read loads perf_hooks and 8 internal modules into every run
// (docs/PERFORMANCE.md). The origin is arbitrary: only differences mean anything.
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
