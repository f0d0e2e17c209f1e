// For profiling: start the benchmark's targets, write its suites to DIR, and keep serving until Ctrl-C.
//   node bench/serve.ts /tmp/suites &   then e.g.
//   BENCH_MYSQL_PASSWORD=… node --cpu-prof .tmp/bench-app/bin/syncproof.js run --config /tmp/suites/W200.yaml --no-sinks
//   node --cpu-prof bench/raw-client.ts /tmp/suites/W200.jobs.json     (the floor on the same workload)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DNS_NAME, startTargets } from './targets.ts';
import { CONCURRENCY, NETWORK_KINDS, suiteYaml, workload, type Kind } from './workload.ts';

const dir = process.argv[2] ?? '.tmp/bench-suites';
mkdirSync(dir, { recursive: true });
const t = await startTargets();
const { stop: _stop, ...targets } = t;
const write = (name: string, jobs: readonly Kind[]) => {
  writeFileSync(join(dir, `${name}.yaml`), suiteYaml(jobs, t));
  writeFileSync(join(dir, `${name}.jobs.json`), JSON.stringify({ jobs, concurrency: CONCURRENCY, targets, dnsName: DNS_NAME }));
};
write('W1', workload(1, ['tcp']));
write('W200', workload(200));
write('N200', workload(200, NETWORK_KINDS));
write('H200', workload(200, ['http']));
write('W2000', workload(2000));
console.log(`suites in ${dir}; export BENCH_MYSQL_PASSWORD='${t.mysql.password}'`);
const stop = async () => { await t.stop(); process.exit(0); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
