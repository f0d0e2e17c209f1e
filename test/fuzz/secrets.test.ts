// Random secrets through ${env:…} and ${file:…} into every string field of every probe and sink type;
// passing and failing suites run through the CLI; stdout, stderr (debug logs), the record, JUnit, the
// termination message, the file sinks' records and every webhook/Slack payload are scanned: zero hits.
// FUZZ_SECRET_RUNS=N runs N random cases (default 2; each case is four CLI runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { stringFields } from './string-fields.ts';
import { NO_SECRET_FIELDS, failingSuite, passingSuite, slots, type Slot, type Targets } from './secret-suites.ts';

const RUNS = Number(process.env.FUZZ_SECRET_RUNS ?? 2);
const SPECIALS = `"'<>&/\\?#@:%{}[]=+;,!$*()|^~\`- `;
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const distinct = (s: string) => new Set(s).size >= 6;
const loudSecret = fc.string({ unit: fc.constantFrom(...PRINTABLE), minLength: 8, maxLength: 40 })
  .filter((s) => distinct(s) && /[A-Za-z]/.test(s) && /\d/.test(s) && [...s].some((c) => SPECIALS.includes(c)));
const plainSecret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 10, maxLength: 24 }).filter(distinct);

/** The forms a secret takes in URLs, JSON (once or twice escaped) and XML: none may appear anywhere. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const inQuery = new URL(`http://h/?q=${secret.replace(/#/g, '%23')}`).search.slice(3);
  return [...new Set([secret, encodeURIComponent(secret), json, JSON.stringify(json).slice(1, -1), xml, inQuery])];
}

interface Scan { outputs: number; checks: number }

function scan(outputs: Readonly<Record<string, string>>, secrets: readonly string[], tally: Scan): void {
  for (const [where, text] of Object.entries(outputs)) {
    tally.outputs++;
    for (const secret of secrets) {
      for (const form of forms(secret)) {
        tally.checks++;
        const i = text.indexOf(form);
        assert.ok(i < 0, `${where} leaks ${JSON.stringify(secret)} as ${JSON.stringify(form)}: …${text.slice(Math.max(0, i - 200), i + 200)}…`);
      }
    }
  }
}

async function startEcho(): Promise<{ port: number; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push(`${req.url} ${JSON.stringify(req.headers)} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(req.headers.authorization ?? '') });
      res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('every string field of every probe and sink type is covered by a secret placement', () => {
  const targets: Targets = { refused: 1, echo: 2, receiver: 3, dir: '/nowhere' };
  const placed = new Set(slots(targets).map((s) => s.field));
  const found = [
    ...Object.entries(probeTypes).flatMap(([type, p]) => stringFields(p.spec).map((f) => `probe ${type}.${f}`)),
    ...Object.entries(sinkTypes).flatMap(([type, s]) => stringFields(s.spec).map((f) => `sink ${type}.${f}`)),
  ];
  assert.ok(found.length > 30, `walked ${found.length} string fields`);
  for (const field of found) assert.ok(placed.has(field) || NO_SECRET_FIELDS.has(field), `no secret placement for ${field}`);
  for (const field of placed) assert.ok(found.includes(field), `placement for ${field}, which is not a string field`);
});

test('random secrets in every string field never reach any output', { timeout: 600_000 }, async (t) => {
  const echo = await startEcho();
  t.after(echo.close);
  const receiver: Receiver = await startReceiver([{ status: 200 }]);
  t.after(() => receiver.close());
  const tally: Scan = { outputs: 0, checks: 0 };
  let cases = 0;
  const refused = await refusedPort();

  await fc.assert(fc.asyncProperty(
    fc.array(loudSecret, { minLength: 128, maxLength: 128 }), fc.array(plainSecret, { minLength: 128, maxLength: 128 }), fc.boolean(),
    async (loud, plain, envFirst) => {
      cases++;
      const files = tempFiles({});
      try {
        const targets: Targets = { refused, echo: echo.port, receiver: Number(new URL(receiver.origin).port), dir: files.dir };
        const env: Record<string, string> = {};
        const secrets: string[] = [];
        let n = 0;
        /** A reference to a fresh secret: through the environment or a file, alternating. */
        const ref = (alphabet: 'loud' | 'plain'): string => {
          const secret = (alphabet === 'loud' ? loud : plain)[n]!;
          const name = `SECRET_${n++}`;
          secrets.push(secret);
          if ((n % 2 === 0) === envFirst) {
            env[name] = secret;
            return `\${env:${name}}`;
          }
          const path = files.path(`${name}.txt`);
          writeFileSync(path, n % 3 === 0 ? `${secret}\n` : secret);
          return `\${file:${path}}`;
        };
        const all: Slot[] = slots(targets);
        const failing = failingSuite(all.map((slot) => ({ slot, ref: ref(slot.alphabet) })));
        const passing = passingSuite({ loud: [ref('loud'), ref('loud'), ref('loud'), ref('loud')], plain: [ref('plain'), ref('plain'), ref('plain')] }, targets);
        for (const [name, text, code] of [['failing', failing, 1], ['passing', passing, 0]] as const) {
          const suite = files.path(`${name}.yaml`);
          writeFileSync(suite, text);
          for (const output of ['human', 'json']) {
            const before = receiver.requests.length;
            const junit = files.path(`${name}-${output}.xml`);
            const termination = files.path(`${name}-${output}.term`);
            const run = await runCli(['run', '--config', suite, '--output', output, '--junit', junit, '--termination-log', termination],
              { env: { ...env, LOG_LEVEL: 'debug', SECRET_SCAN_FIELDS: 'not a secret' } });
            assert.equal(run.code, code, `${name} suite, ${output}: exit ${run.code}\n${run.stdout.slice(0, 3000)}\n${run.stderr.slice(-3000)}`);
            const payloads = receiver.requests.slice(before);
            assert.ok(payloads.length >= 2, `${name}: the webhook and Slack sinks delivered`);
            const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr, junit: readFileSync(junit, 'utf8'), termination: readFileSync(termination, 'utf8') };
            payloads.forEach((p, i) => (outputs[`payload ${i} ${p.url.slice(0, 9)}`] = p.body.toString('utf8')));
            for (const file of readdirSync(files.dir).filter((f) => f.startsWith('record-') || f.startsWith('passing-record'))) {
              outputs[`file sink ${file.slice(0, 7)}`] = readFileSync(join(files.dir, file), 'utf8');
            }
            assert.ok(run.stderr.includes('"level":20') || run.stderr.includes('"level":"debug"'), 'debug logs were written and scanned');
            scan(outputs, secrets, tally);
            if (output === 'json') {
              const record = JSON.parse(run.stdout) as { probes: { verdict: string }[] };
              if (name === 'failing') assert.ok(record.probes.length >= 30 && record.probes.every((p) => p.verdict === 'failed'));
            }
          }
        }
      } finally {
        files.cleanup();
      }
    }), { numRuns: RUNS, endOnFailure: true });
  // The target really received the secrets, so the scans looked for values that were in play.
  assert.ok(echo.seen.some((s) => s.includes('Bearer ')), 'the echo server saw the requests');
  console.log(`# secret scan: ${cases} random cases, ${cases * 4} CLI runs, ${tally.outputs} outputs scanned, ${tally.checks} secret-form checks, 0 hits`);
});
