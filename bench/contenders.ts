// How each contender is run on a workload; each returns one measurement of one run.
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMsOf, measure, peakRssMbOf, scratchDir, type Measured } from './measure.ts';
import { blackboxConfig, blackboxTarget, CONCURRENCY, nagiosCommand, suiteYaml, type Kind } from './workload.ts';
import { DNS_NAME, type Targets } from './targets.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The app as the image lays it out (/app/bin, /app/dist, /app/package.json, /app/compile-cache), built here. */
export const APP = join(ROOT, '.tmp', 'bench-app');
export const SYNCPROOF = join(APP, 'bin', 'syncproof.js');
const NODE = process.execPath;

/** The app laid out and primed by the command the Dockerfile runs (`tools/build.ts --app`); the checkout's dist/ is left alone. */
export function buildApp(): void {
  execFileSync(NODE, [join(ROOT, 'tools/build.ts'), '--app', APP, '--prime'], { stdio: 'inherit' });
}

let files = 0;
function scratchFile(name: string, text: string): string {
  const path = join(scratchDir, `${files++}-${name}`);
  writeFileSync(path, text);
  return path;
}

export interface Prepared {
  run(): Promise<Measured>;
}

export function syncproof(jobs: readonly Kind[], t: Targets): Prepared {
  const suite = scratchFile('suite.yaml', suiteYaml(jobs, t));
  return { run: () => measure(NODE, [SYNCPROOF, 'run', '--config', suite, '--no-sinks', '--termination-log', ''], { BENCH_MYSQL_PASSWORD: t.mysql.password }) };
}

/** `syncproof validate` of the suite: loading and checking it, nothing run. */
export function validateSuite(jobs: readonly Kind[], t: Targets): Prepared {
  const suite = scratchFile('suite.yaml', suiteYaml(jobs, t));
  return { run: () => measure(NODE, [SYNCPROOF, 'validate', '--config', suite], { BENCH_MYSQL_PASSWORD: t.mysql.password }) };
}

/** The smallest undici client doing the same GETs (bench/undici-loop.ts): a floor below the raw client. */
export function undiciLoop(count: number, t: Targets): Prepared {
  return { run: () => measure(NODE, [join(ROOT, 'bench/undici-loop.ts'), t.http.url, String(count), String(CONCURRENCY)]) };
}

export function rawClient(jobs: readonly Kind[], t: Targets): Prepared {
  const { stop: _stop, ...targets } = t;
  const input = scratchFile('jobs.json', JSON.stringify({ jobs, concurrency: CONCURRENCY, targets, dnsName: DNS_NAME }));
  return { run: () => measure(NODE, [join(ROOT, 'bench/raw-client.ts'), input]) };
}

/** The plugins from a bash script: one after another, or `parallel` at a time (a `wait -n` pool). Exit 1 if any check failed. */
export function nagios(jobs: readonly Kind[], t: Targets, parallel: number): Prepared {
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const lines = jobs.map((kind) => `${nagiosCommand(kind, t).map(quote).join(' ')} >/dev/null`);
  const script = parallel === 1
    ? ['fail=0', ...lines.map((l) => `${l} || fail=1`), 'exit $fail']
    : ['fail=0; n=0', ...lines.map((l) => `${l} & n=$((n+1)); if [ $n -ge ${parallel} ]; then wait -n || fail=1; n=$((n-1)); fi`),
      'while [ $n -gt 0 ]; do wait -n || fail=1; n=$((n-1)); done', 'exit $fail'];
  const path = scratchFile('nagios.sh', `${script.join('\n')}\n`);
  return { run: () => measure('/bin/bash', [path]) };
}

export interface Blackbox {
  prepare(jobs: readonly Kind[], t: Targets): Prepared;
  stop(): Promise<void>;
}

/** A long-running blackbox_exporter; one run = the /probe requests at CONCURRENCY, with the exporter's CPU time over them. */
export async function startBlackbox(): Promise<Blackbox> {
  const config = scratchFile('blackbox.yml', blackboxConfig());
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('/usr/bin/prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/-/healthy`)).ok) break;
    } catch { /* not yet */ }
    if (tries > 100 || child.exitCode !== null) throw new Error(`blackbox_exporter did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    prepare: (jobs, t) => ({
      run: async () => {
        const urls = jobs.map((kind) => `${base}/probe?module=${kind}&target=${encodeURIComponent(blackboxTarget(kind, t))}`);
        const cpuBefore = cpuMsOf(pid);
        const started = performance.now();
        let next = 0;
        let failed = 0;
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          while (next < urls.length) {
            const body = await (await fetch(urls[next++]!)).text();
            if (!/^probe_success 1$/m.test(body)) failed++;
          }
        }));
        const wallMs = performance.now() - started;
        return { wallMs, cpuMs: cpuMsOf(pid) - cpuBefore, rssMb: peakRssMbOf(pid), code: failed ? 1 : 0, stdout: `${urls.length - failed} of ${urls.length} passed`, stderr };
      },
    }),
    stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); },
  };
}
