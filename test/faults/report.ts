// Runs the fault matrix and prints its measured results as the Markdown table of docs/RELIABILITY.md.
//   node test/faults/report.ts            (exit code: the test run's)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatrixRow } from './harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'syncproof-faults-'));
const results = join(dir, 'rows.jsonl');
const files = readdirSync(here).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(here, f));
const started = performance.now();
const test = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=dot', ...files], {
  env: { ...process.env, FAULT_RESULTS: results }, stdio: ['ignore', 2, 'inherit'], // the reporter's dots to stderr: stdout is the table
});
const wallS = ((performance.now() - started) / 1000).toFixed(1);
let rows: MatrixRow[] = [];
try {
  rows = readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as MatrixRow);
} catch { /* no row passed */ }
rmSync(dir, { recursive: true, force: true });

const ORDER = ['refused port', 'dropped packets', 'accepts, never answers', 'body trickles', 'reset mid-response', '200 MB body',
  'DNS SERVFAIL', 'DNS NXDOMAIN', 'DNS timeout', 'TLS expired certificate', 'TLS self-signed certificate',
  'TLS certificate for the wrong host', 'TLS to a plaintext port', 'authentication failure', 'primary killed mid-query',
  'primary killed between attempts', 'sink down (optional)', 'sink down (required)', 'sink hangs', 'SIGTERM mid-run', 'SIGTERM twice',
  'deadline mid-run', 'deadline, then a sink hangs', '100 probes hanging (timeout)', '100 probes hanging (deadline)',
  'system resolver never answers', 'a sink\'s host lookup hangs',
  // Hostile responses: HTTP, TLS, files and secrets (hostile-net.test.ts, hostile-files.test.ts)
  'mesh certificate (empty subject)', 'body until close, at the timeout', 'body until close, at SIGTERM', 'body until close, at the deadline',
  '1 MB of nested JSON', '85,000 keys × 10 probes', '85,000 keys × 100 probes', 'catastrophic regex (linear engine)',
  'catastrophic regex (worker, i flag)', '100 probes of worker patterns', '1 MB of a.a.a… with one ://', 'a 200 KB response header', '${file:} is a FIFO', '${file:/dev/zero}',
  'a FIFO named *.yaml in the config directory', 'ca is a FIFO', 'ca is /dev/zero', 'secret headers, cross-origin redirect',
  'secret echoed HTML-escaped / cut', 'a numeric secret re-read as a number', 'lone surrogate in an interpolated value',
  // Hostile data-layer servers (hostile-data.test.ts), in the file's order
  'server asks for GSSAPI', 'RowDescription of 65535 columns', 'DataRow of 0x7ffffff0 bytes', 'bulk reply of $999999999999',
  'arrays nested a million deep', 'an array of 3 million values', 'COMMAND INFO reply not a list', 'packets of 16 MiB without end',
  '3 million rows', 'jsonb value 2,000 levels deep', 'query as a superuser', 'EVAL_RO "while true do end"', 'query as an account with SUPER'];
const rank = (r: MatrixRow) => { const i = ORDER.indexOf(r.fault); return i < 0 ? ORDER.length : i; };
rows.sort((a, b) => rank(a) - rank(b) || a.probe.localeCompare(b.probe));
const cell = (text: string) => text.replaceAll('|', '\\|').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/localhost:\d+/g, 'localhost:PORT');
const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`);
console.log('| fault | probe / sink | verdict | one-line reason | time to verdict (bound) | process start→exit | peak RSS | exit |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.fault} | ${r.probe} | ${r.verdict} | ${cell(r.reason)} | ${ms(r.verdictMs)} (≤ ${ms(r.boundMs)}) | ${ms(r.processMs)} | ${r.peakRssMb ?? '?'} MB | ${r.exitCode} |`);
}
console.log(`\n${rows.length} rows from ${files.length} test files; the matrix took ${wallS} s of wall time (node --test, 2 test files at a time).`);
process.exitCode = test.status ?? 1;
