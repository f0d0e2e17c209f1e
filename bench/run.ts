// `npm run bench`: syncproof against a raw-client floor, blackbox_exporter and the Nagios plugins on
// the same local targets in one run; medians, ratios and the targets (issues #7 and #15) as markdown tables.
// BENCH_RUNS (default 5) runs per contender; W2000 and the plugins one after another use fewer.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { buildApp, nagios, rawClient, startBlackbox, syncproof, SYNCPROOF, undiciLoop, validateSuite, type Prepared } from './contenders.ts';
import { printGoals } from './goals.ts';
import { measure, median, scratchDir, type Measured } from './measure.ts';
import { startTargets, type Targets } from './targets.ts';
import { CONCURRENCY, NETWORK_KINDS, suiteYaml, workload, type Kind } from './workload.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const NODE = process.execPath;

interface Row { workload: string; contender: string; probes: number; runs: Measured[] }
const rows: Row[] = [];

type Contender = readonly [workload: string, contender: string, probes: number, prepared: Prepared];

async function bench(workloadName: string, contender: string, probes: number, prepared: Prepared, runs: number): Promise<Row> {
  return (await inRotation([[workloadName, contender, probes, prepared]], runs))[0]!;
}

/**
 * Runs the contenders in turn, one run of each per round (A B C A B C …), so that run i of every row
 * comes from the same seconds: this machine's speed drifts by a fifth or more over minutes, and a
 * target that compares two rows is judged on the rounds (paired), not on medians taken minutes apart.
 */
async function inRotation(contenders: readonly Contender[], runs: number): Promise<Row[]> {
  const results = contenders.map((): Measured[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, [workloadName, contender, , prepared]] of contenders.entries()) {
      const m = await prepared.run();
      if (m.code !== 0) throw new Error(`${contender} on ${workloadName} failed (exit ${m.code}):\n${m.stdout.slice(-2000)}\n${m.stderr.slice(-2000)}`);
      results[j]!.push(m);
    }
  }
  return contenders.map(([workloadName, contender, probes], j) => {
    const row = { workload: workloadName, contender, probes, runs: results[j]! };
    rows.push(row);
    process.stderr.write(`  ${workloadName} ${contender}: ${fmt(med(row, 'wallMs'))} ms (${row.runs.map((r) => Math.round(r.wallMs)).join(', ')})\n`);
    return row;
  });
}

/** The median over the rounds of a's time minus b's (rows run in rotation). */
const pairedDiff = (a: Row, b: Row) => median(a.runs.map((r, i) => r.wallMs - b.runs[i]!.wallMs));
/** The median over the rounds of a's time over b's (rows run in rotation). */
const pairedRatio = (a: Row, b: Row) => median(a.runs.map((r, i) => r.wallMs / b.runs[i]!.wallMs));

/** syncproof with the targets named `localhost`: every connection asks the host-lookup helper, whose RSS and CPU are counted. */
function byName(jobs: readonly Kind[], t: Targets): Prepared {
  const suite = join(scratchDir, 'suite-by-name.yaml');
  writeFileSync(suite, suiteYaml(jobs, t, 'localhost'));
  const args = [SYNCPROOF, 'run', '--config', suite, '--no-sinks', '--termination-log', ''];
  return { run: () => measure(NODE, args, { BENCH_MYSQL_PASSWORD: t.mysql.password }, true) };
}

const med = (row: Row, key: 'wallMs' | 'cpuMs' | 'rssMb') => median(row.runs.map((r) => r[key]));
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** A TCP probe whose port opens `openAtMs` after the process starts: when is it reported passed? */
async function lateTarget(openAtMs: number, intervalMs: number): Promise<{ wallMs: number; bound: number; attempts: number }> {
  const probe = net.createServer((s) => s.end());
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const suite = join(scratchDir, `late-${port}.yaml`);
  writeFileSync(suite, `probes:\n  - name: late\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 30s\n    interval: ${intervalMs}ms\n`);
  const server = net.createServer((s) => s.end());
  const timer = setTimeout(() => server.listen(port, '127.0.0.1'), openAtMs);
  const m = await measure(NODE, [SYNCPROOF, 'run', '--config', suite, '--no-sinks', '--termination-log', '', '--output', 'json']);
  clearTimeout(timer);
  server.close();
  const record = JSON.parse(m.stdout) as { probes: { verdict: string; attempts: number; observed: { duration: number } }[] };
  const p = record.probes[0]!;
  if (p.verdict !== 'passed') throw new Error(`late probe: ${m.stdout}`);
  return { wallMs: m.wallMs, bound: openAtMs + intervalMs + p.observed.duration, attempts: p.attempts };
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  process.stderr.write('laying out the app (tools/build.ts --app --prime, as the Dockerfile does) in .tmp/bench-app\n');
  buildApp();
  process.stderr.write('starting targets\n');
  const t = await startTargets();
  const blackbox = await startBlackbox();
  try {
    const few = Math.max(1, Math.ceil(RUNS / 2));
    process.stderr.write('cold start\n');
    const [bare, version, w1, v200, v2000] = await inRotation([
      ['W0', 'node -e 0', 0, { run: () => measure(NODE, ['-e', '0']) }],
      ['W0', 'syncproof --version', 0, { run: () => measure(NODE, [SYNCPROOF, '--version']) }],
      ['W1', 'syncproof', 1, syncproof(workload(1, ['tcp']), t)],
      ['V200', 'syncproof validate', 200, validateSuite(workload(200), t)],
      ['V2000', 'syncproof validate', 2000, validateSuite(workload(2000), t)],
    ], RUNS * 2) as [Row, Row, Row, Row, Row];

    process.stderr.write('H200 (http only)\n');
    const h200 = workload(200, ['http']);
    const [loopH200, , spH200] = await inRotation([
      ['H200', 'minimal undici loop', 200, undiciLoop(200, t)],
      ['H200', 'raw client', 200, rawClient(h200, t)],
      ['H200', 'syncproof', 200, syncproof(h200, t)],
    ], RUNS) as [Row, Row, Row];

    process.stderr.write('W200\n');
    const w200 = workload(200);
    const [raw200, sp200] = await inRotation([
      ['W200', 'raw client', 200, rawClient(w200, t)],
      ['W200', 'syncproof', 200, syncproof(w200, t)],
    ], RUNS) as [Row, Row];
    const named200 = await bench('W200', 'syncproof, targets named localhost', 200, byName(w200, t), RUNS);
    const seq200 = await bench('W200', 'Nagios plugins, one after another', 200, nagios(w200, t, 1), few);
    const par200 = await bench('W200', `Nagios plugins, ${CONCURRENCY} at a time`, 200, nagios(w200, t, CONCURRENCY), RUNS);

    process.stderr.write('N200 (HTTP/TCP/DNS)\n');
    const n200 = workload(200, NETWORK_KINDS);
    const spNet = await bench('N200', 'syncproof', 200, syncproof(n200, t), RUNS);
    const bbNet = await bench('N200', 'blackbox_exporter', 200, blackbox.prepare(n200, t), RUNS);
    await bench('N200', 'raw client', 200, rawClient(n200, t), RUNS);

    process.stderr.write('W2000\n');
    const w2000 = workload(2000);
    const raw2000 = await bench('W2000', 'raw client', 2000, rawClient(w2000, t), few);
    const sp2000 = await bench('W2000', 'syncproof', 2000, syncproof(w2000, t), few);
    await bench('W2000', `Nagios plugins, ${CONCURRENCY} at a time`, 2000, nagios(w2000, t, CONCURRENCY), 1);

    process.stderr.write('a target that starts answering 2s after the start\n');
    const late = [];
    for (let i = 0; i < few; i++) late.push(await lateTarget(2000, 1000));

    printTable();
    const lateWall = median(late.map((l) => l.wallMs));
    const lateBound = median(late.map((l) => l.bound));
    const rawNet = rows.find((r) => r.workload === 'N200' && r.contender === 'raw client')!;
    const wall = (row: Row) => med(row, 'wallMs');
    printGoals({
      met: [
        ['W200 time to verdict ≤ 1.25× raw client', `${fmt(pairedRatio(sp200, raw200), 2)}×`, pairedRatio(sp200, raw200) <= 1.25],
        ['`--version` within 60 ms of `node -e 0`', `+${fmt(pairedDiff(version, bare))} ms`, pairedDiff(version, bare) <= 60],
        ['W1 within 150 ms of `node -e 0`', `+${fmt(pairedDiff(w1, bare))} ms`, pairedDiff(w1, bare) <= 150],
        ['peak RSS < 200 MB at W2000', `${fmt(med(sp2000, 'rssMb'))} MB`, med(sp2000, 'rssMb') < 200],
        ['passing after X=2s (interval 1s) reported by X + interval + one attempt', `${fmt(lateWall)} ms ≤ ${fmt(lateBound)} ms`, late.every((l) => l.wallMs <= l.bound)],
        ['`validate` of W200 within 30 ms of `--version`', `+${fmt(pairedDiff(v200, version))} ms`, pairedDiff(v200, version) <= 30],
        ['`validate` of W2000 within 150 ms of `--version`', `+${fmt(pairedDiff(v2000, version))} ms`, pairedDiff(v2000, version) <= 150],
        ['H200 (200 http probes) ≤ 1.15× the minimal undici loop', `${fmt(pairedRatio(spH200, loopH200), 2)}×`, pairedRatio(spH200, loopH200) <= 1.15],
        ['W1 within 60 ms of `node -e 0`', `+${fmt(pairedDiff(w1, bare))} ms`, pairedDiff(w1, bare) <= 60],
      ],
      // Below what the raw-client floor reaches on this runtime in the same run: measured, not judged.
      retired: [
        ['W200 ≥ 3× faster than plugins one after another', `${fmt(wall(seq200) / wall(sp200), 1)}×`, `${fmt(wall(seq200) / wall(raw200), 1)}×`],
        [`(stretch) W200 no slower than plugins ${CONCURRENCY} at a time`, `${fmt(wall(sp200) / wall(par200), 2)}×`, `${fmt(wall(raw200) / wall(par200), 2)}×`],
        ['CPU per probe (HTTP/TCP/DNS) ≤ blackbox_exporter\'s', `${fmt(med(spNet, 'cpuMs') / 200, 2)} vs ${fmt(med(bbNet, 'cpuMs') / 200, 2)} ms`, `${fmt(med(rawNet, 'cpuMs') / 200, 2)} ms`],
        ['peak RSS < 90 MB at W200', `${fmt(med(sp200, 'rssMb'))} MB`, `${fmt(med(raw200, 'rssMb'))} MB`],
      ],
    });
    console.log(`\nW2000: syncproof ${fmt(med(sp2000, 'wallMs'))} ms, raw client ${fmt(med(raw2000, 'wallMs'))} ms (${fmt(med(sp2000, 'wallMs') / med(raw2000, 'wallMs'), 2)}×).`);
    console.log(`\nW200 with the targets named localhost (host-lookup helper included): ${fmt(med(named200, 'wallMs'))} ms, ${fmt(med(named200, 'cpuMs'))} ms CPU, ${fmt(med(named200, 'rssMb'))} MB peak RSS (by IP: ${fmt(med(sp200, 'wallMs'))} ms, ${fmt(med(sp200, 'cpuMs'))} ms, ${fmt(med(sp200, 'rssMb'))} MB).`);
    console.log(`\nLoad average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}.`);
    console.log(`\nMachine: ${cpus().length}× ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; runs per contender: ${RUNS} (fewer where marked).`);
  } finally {
    await blackbox.stop();
    await t.stop();
  }
}

function printTable(): void {
  console.log(`\n| workload | contender | runs | time to verdict (median ms) | × syncproof | CPU ms | CPU/probe ms | peak RSS MB |\n|---|---|---|---|---|---|---|---|`);
  for (const row of rows) {
    const sp = rows.find((r) => r.workload === row.workload && r.contender === 'syncproof');
    const ratio = sp && row !== sp ? `${fmt(med(row, 'wallMs') / med(sp, 'wallMs'), 2)}` : '';
    const perProbe = row.probes ? fmt(med(row, 'cpuMs') / row.probes, 2) : '';
    console.log(`| ${row.workload} | ${row.contender} | ${row.runs.length} | ${fmt(med(row, 'wallMs'))} | ${ratio} | ${fmt(med(row, 'cpuMs'))} | ${perProbe} | ${fmt(med(row, 'rssMb'))} |`);
  }
}

await main();
