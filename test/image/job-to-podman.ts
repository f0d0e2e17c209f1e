// Renders the chart and turns its Job into a `podman run` the way kubelet would start its Pod
// (test/image/kubelet.ts). Used by test/image/run-check.sh.
//
// Usage: node test/image/job-to-podman.ts DIR CLUSTER.yaml RELEASE [helm template args…]
//   CLUSTER.yaml: objects already in the cluster (the Secrets and ConfigMaps the values refer to).
// Writes into DIR: podman-options and podman-command (NUL-separated: `podman run OPTIONS COMMAND`), env (for --env-file, mode 0600),
// pod-name, termination-log, volumes/; prints the podman command (no secret is in it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, find, missingTools, parseManifests, render, type K8sObject } from '../chart/support/tools.ts';
import { jobToPodman, type PodmanRun } from './kubelet.ts';

const [dir, clusterFile, release, ...helmArgs] = process.argv.slice(2);
if (!dir || !clusterFile || !release) {
  process.stderr.write('usage: job-to-podman.ts DIR CLUSTER.yaml RELEASE [helm template args…]\n');
  process.exit(2);
}
try {
  missingTools();
} catch (error) {
  process.stderr.write(`job-to-podman: ${(error as Error).message}\n`);
  process.exit(2);
}

mkdirSync(dir, { recursive: true });
let job: K8sObject;
let run: PodmanRun;
try {
  const rendered = render(release, CHART, helmArgs);
  job = find(rendered, 'Job');
  run = jobToPodman(job, [...rendered, ...parseManifests(readFileSync(clusterFile, 'utf8'))], dir);
} catch (error) {
  process.stderr.write(`job-to-podman: ${(error as Error).message}\n`);
  process.exit(1);
}

writeFileSync(join(dir, 'env'), run.env, { mode: 0o600 });
const nul = (args: string[]): string => args.map((a) => `${a}\0`).join('');
writeFileSync(join(dir, 'podman-options'), nul(run.options));
writeFileSync(join(dir, 'podman-command'), nul(run.command));
writeFileSync(join(dir, 'pod-name'), `${run.podName}\n`);

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
const names = run.env.split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf('=')));
process.stdout.write(`Job ${job.metadata.namespace}/${job.metadata.name} → Pod ${run.podName}; env: ${names.join(' ')}\n`);
process.stdout.write(`podman run ${[...run.options, ...run.command].map(quote).join(' ')}\n`);
