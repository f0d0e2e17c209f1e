// The entry of dist/validate.cjs: `syncproof validate` as one script, which bin/syncproof.js compiles with a
// code cache written after a priming run (tools/build.ts), so it holds exactly the functions validating runs
// (docs/PERFORMANCE.md). The same code as dist/cli.js's; `run` and the other commands stay on dist/cli.js.
export { runCli } from './cli.ts';
export { restoreV8Defaults } from './process/v8-tuning.ts';
