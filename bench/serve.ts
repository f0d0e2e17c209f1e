// For profiling: start the benchmark's targets, write its suites to DIR, and keep serving until Ctrl-C.
//   node bench/serve.ts /tmp/suites &   then e.g.
//   BENCH_MYSQL_PASSWORD=… node --cpu-prof .tmp/bench-app/bin/syncproof.js run --config /tmp/suites/W200.yaml --no-sinks
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTargets } from './targets.ts';
import { NETWORK_KINDS, suiteYaml, workload } from './workload.ts';

const dir = process.argv[2] ?? '.tmp/bench-suites';
mkdirSync(dir, { recursive: true });
const t = await startTargets();
writeFileSync(join(dir, 'W1.yaml'), suiteYaml(workload(1, ['tcp']), t));
writeFileSync(join(dir, 'W200.yaml'), suiteYaml(workload(200), t));
writeFileSync(join(dir, 'N200.yaml'), suiteYaml(workload(200, NETWORK_KINDS), t));
writeFileSync(join(dir, 'W2000.yaml'), suiteYaml(workload(2000), t));
console.log(`suites in ${dir}; export BENCH_MYSQL_PASSWORD='${t.mysql.password}'`);
const stop = async () => { await t.stop(); process.exit(0); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
