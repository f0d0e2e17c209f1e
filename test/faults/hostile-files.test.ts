// Hostile-response matrix, files and secrets rows: files a suite names that are not regular files (a FIFO
// blocks its reader forever, /dev/zero never ends), secrets in the forms a server or a parser hands them
// back, secret headers on a redirect to another origin, and a lone surrogate in an interpolated value.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { tempFiles } from '../support/cli.ts';
import { startHttpServer } from '../support/http-server.ts';
import { assertConfigError, assertRunGuarantees, CHART_MEMORY_MB, noteConfigRow, row, runFault, STARTUP_MS } from './harness.ts';
import { htmlEchoServer } from './hostile-servers.ts';

/** One attempt of 3 s: room for two requests (a redirect) or a TLS handshake on a loaded 2-core machine. */
const ONCE = 'defaults:\n  within: 0s\n  timeout: 3s\n';
const ONE_ATTEMPT = { maxMs: 3500 };
const ONE_RUN = 3000 + STARTUP_MS + 2000;
const MEMORY = { maxRssMb: CHART_MEMORY_MB };
const mkfifo = (path: string): void => { execFileSync('mkfifo', [path]); };

describe('hostile responses: files and secrets', { concurrency: 3 }, () => {
  let certs: TestCerts;
  before(async () => { certs = await makeCerts(); });
  after(async () => { await certs?.remove(); });

  test('${file:} naming a FIFO or /dev/zero: a configuration error, at once', async (t) => {
    const run = await runFault(t, {
      prepare: (dir) => mkfifo(join(dir, 'token')),
      suite: 'probes:\n  - name: a\n    type: tcp\n    host: "${file:token}"\n    port: 1\n  - name: b\n    type: tcp\n    host: "${file:/dev/zero}"\n    port: 1',
    });
    const lines = assertConfigError(run, { withinMs: STARTUP_MS + 2000, ...MEMORY, errors: [
      /suite\.yaml:4:11 {2}probes\["a"\]\.host {2}cannot read file token \(it is a FIFO, not a regular file\)$/,
      /suite\.yaml:8:11 {2}probes\["b"\]\.host {2}cannot read file \/dev\/zero \(it is a character device, not a regular file\)$/,
    ] });
    noteConfigRow('${file:} is a FIFO', 'config', run, lines[0]!.replace(/^\S+ {2}/, ''), STARTUP_MS + 2000);
    noteConfigRow('${file:/dev/zero}', 'config', run, lines[1]!.replace(/^\S+ {2}/, ''), STARTUP_MS + 2000);
  });

  test('a FIFO named *.yaml in the config directory: a configuration error, at once', async (t) => {
    const run = await runFault(t, { configDir: true, prepare: (dir) => mkfifo(join(dir, 'zz-stray.yaml')), suite: 'probes:\n  - { name: a, type: tcp, host: 127.0.0.1, port: 1 }' });
    const [line] = assertConfigError(run, { withinMs: STARTUP_MS + 2000, ...MEMORY, errors: [/zz-stray\.yaml:1:1 {2}cannot read: it is a FIFO, not a regular file$/] });
    noteConfigRow('a FIFO named *.yaml in the config directory', 'config', run, line!.replace(/^\S+ {2}/, ''), STARTUP_MS + 2000);
  });

  test('ca naming a FIFO or /dev/zero: the attempt fails saying so; the other probes stand', async (t) => {
    const server = await startHttpServer({ tls: certs.valid });
    const scratch = tempFiles({});
    t.after(() => Promise.all([server.close(), scratch.cleanup()]));
    mkfifo(scratch.path('ca.pem'));
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: fifo, type: http, url: "${server.url}/json", tls: { ca: "${scratch.path('ca.pem')}" } }
  - { name: zero, type: tls, host: localhost, port: ${server.port}, ca: /dev/zero }
  - { name: good, type: http, url: "${server.url}/json", tls: { ca: "${certs.caPath}" } }` });
    assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: ONE_RUN, ...MEMORY });
    row('ca is a FIFO', run, 'fifo', { verdict: 'failed', reason: /^CA file not readable: it is a FIFO, not a regular file \(\/.*\/ca\.pem\)$/, ...ONE_ATTEMPT });
    row('ca is /dev/zero', run, 'zero', { verdict: 'failed', reason: /^CA file not readable: it is a character device, not a regular file \(\/dev\/zero\)$/, ...ONE_ATTEMPT });
    row('ca is a FIFO', run, 'good', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
  });

  test('secret headers on a redirect to another origin: not sent on, noted', async (t) => {
    const [first, other] = await Promise.all([startHttpServer(), startHttpServer()]);
    t.after(() => Promise.all([first.close(), other.close()]));
    const to = encodeURIComponent(`${other.url}/headers`);
    const run = await runFault(t, { env: { API_KEY: 'k-9f8e7d6c5b4a' }, suite: `${ONCE}probes:
  - name: across
    type: http
    url: "${first.url}/redirect?to=${to}"
    headers: { X-Api-Key: "\${env:API_KEY}", PRIVATE-TOKEN: "glpat-literal-0000", X-Trace: "abc" }
    expect: ["status == 200", 'json !contains "x-api-key"', 'json !contains "private-token"', 'json["x-trace"] == "abc"']` });
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: ONE_RUN, ...MEMORY });
    row('secret headers, cross-origin redirect', run, 'across', { verdict: 'passed', reason: /^200 in \d+ms \(not sent after the redirect to another origin: x-api-key, private-token\)$/, ...ONE_ATTEMPT });
  });

  test('a secret echoed HTML-escaped and cut by the server, and one re-read as a number: never shown', async (t) => {
    const server = await htmlEchoServer();
    t.after(() => server.close());
    const token = `s3cr&t<v4lue>"o'k-${'x'.repeat(24)}`;
    const run = await runFault(t, { env: { TOKEN: token }, suite: `${ONCE}probes:
  - { name: echo, type: http, url: "${server.url}", headers: { x-token: "\${env:TOKEN}" }, expect: ["status == 200", "body contains 'welcome'"] }` });
    const record = assertRunGuarantees(run, { code: 1, verdict: 'failed', withinMs: ONE_RUN, ...MEMORY });
    row('secret echoed HTML-escaped / cut', run, 'echo', { verdict: 'failed', reason: /^status = 403 \(expected == 200\); body = "<p>Unknown token \*\*\*<\/p><p>\(starts with \*\*\*\)<\/p>" \(expected contains "welcome"\)$/, ...ONE_ATTEMPT });
    const everything = [run.stdout, run.stderr, run.termination, JSON.stringify(record), ...run.delivered.map((r) => JSON.stringify(r))].join('\n');
    assert.ok(!everything.includes('v4lue') && !everything.includes(token.slice(0, 16)), 'neither the escaped form nor the first 16 characters');

    const numeric = await runFault(t, { env: { PIN: '0x7fe3a91c' }, suite: 'probes:\n  - name: a\n    type: tcp\n    host: 127.0.0.1\n    port: 1\n    timeout: ${env:PIN}' });
    const [line] = assertConfigError(numeric, { withinMs: STARTUP_MS + 2000, ...MEMORY, errors: [/probes\["a"\]\.timeout {2}must be a duration .*, got number \*\*\*$/] });
    assert.ok(!`${numeric.stderr}${numeric.termination}`.includes('2145626396'));
    noteConfigRow('a numeric secret re-read as a number', 'config', numeric, line!.replace(/^\S+ {2}/, ''), STARTUP_MS + 2000);
  });

  test('a lone surrogate in an interpolated fallback: a secret like any other, not exit 3', async (t) => {
    const server = await startHttpServer();
    t.after(() => server.close());
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: body, type: http, method: POST, url: "${server.url}/echo", body: "\${env:UNSET:-tok\\ud800en-7731}" }
  - { name: other, type: tcp, host: 127.0.0.1, port: ${server.port} }` });
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: ONE_RUN, ...MEMORY });
    row('lone surrogate in an interpolated value', run, 'body', { verdict: 'passed', reason: /^200 in \d+ms$/, ...ONE_ATTEMPT });
  });
});
