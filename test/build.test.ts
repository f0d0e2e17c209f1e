// The built CLI (esbuild bundles src/ and its drivers into dist/), laid out and primed by the command the
// Dockerfile runs (`tools/build.ts --app DIR --prime`: bin/, dist/, package.json, compile-cache/, no
// node_modules), against real servers of every probe type.
// The other tests run src/ directly; this one catches what only bundling breaks (a driver's export
// shape, a chunk that is not where a relative path expects it, the lookup helper's entry).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeCerts, type TestCerts } from './support/certs.ts';
import { startDnsmasq, type DnsServer } from './support/dns-server.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { MONITOR, provision, startMariaDb, type MyServer } from './support/mysql.ts';
import { startPostgres, type PgServer } from './support/postgres.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'syncproof-built-'));
const bin = join(app, 'bin', 'syncproof.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: app, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let certs: TestCerts, https: TestServer, http: TestServer, dns: DnsServer, pg: PgServer, my: MyServer, redis: RedisServer;

before(async () => {
  const built = await run([join(ROOT, 'tools/build.ts'), '--app', app, '--prime']);
  assert.deepEqual(built, { code: 0, stdout: '', stderr: '' });
  [certs, dns, pg, my, redis] = await Promise.all([makeCerts(), startDnsmasq(), startPostgres(), startMariaDb(), startRedis()]);
  await provision(my);
  [http, https] = await Promise.all([startHttpServer(), startHttpServer({ tls: certs.valid })]);
});

after(async () => {
  await Promise.allSettled([http?.close(), https?.close(), dns?.stop(), pg?.stop(), my?.stop(), redis?.stop(), certs?.remove()]);
  rmSync(app, { recursive: true, force: true });
});

test('the build is bundled: dist/ holds the CLI, the lookup helper and chunks, and nothing resolves node_modules', () => {
  const files = readdirSync(join(app, 'dist'));
  assert.ok(files.includes('cli.js') && files.includes('system-lookup-helper.js') && files.includes('THIRD-PARTY-LICENSES.txt'), files.join(' '));
  for (let dir = app; dir !== dirname(dir); dir = dirname(dir)) assert.ok(!existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists`);
});

test('the app layout is what the image holds, and the primed compile cache is the one Node accepts', async () => {
  assert.deepEqual(readdirSync(app).sort(), ['bin', 'compile-cache', 'dist', 'package.json']);
  const { code, stderr } = await run([bin, '--version'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  assert.equal(code, 0, stderr);
  assert.ok(stderr.includes(`code cache for ESM ${pathToFileURL(join(app, 'dist', 'cli.js')).href} was accepted`), stderr);
});

test('--app refuses to empty a directory that is not an app layout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-not-an-app-'));
  try {
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const { code, stderr } = await run([join(ROOT, 'tools/build.ts'), '--app', dir]);
    assert.equal(code, 1);
    assert.match(stderr, /holds notes\.txt: not an app layout/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bin/syncproof.js runs src/ when there is one beside it (a checkout, even with a stale dist/), else dist/', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    cpSync(join(ROOT, 'bin/syncproof.js'), join(dir, 'bin/syncproof.js'));
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    for (const [entry, says] of [['src/cli.ts', 'source'], ['dist/cli.js', 'bundle']] as const) {
      mkdirSync(join(dir, dirname(entry)));
      writeFileSync(join(dir, entry), `export function runCli() { console.log('${says}'); }\n`);
    }
    const which = async () => (await run([join(dir, 'bin/syncproof.js')])).stdout;
    assert.equal(await which(), 'source\n');
    rmSync(join(dir, 'src'), { recursive: true });
    assert.equal(await which(), 'bundle\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the built CLI prints its version', async () => {
  const { code, stdout } = await run([bin, '--version']);
  assert.equal(code, 0);
  assert.equal(stdout, `syncproof ${(await import('../package.json', { with: { type: 'json' } })).default.version}\n`);
});

test('the built CLI passes a suite with every probe type against real servers, a host name through the lookup helper', async () => {
  const suite = join(app, 'suite.yaml');
  writeFileSync(suite, `suite: built
probes:
  - {name: http, type: http, url: "${http.url}/json"}
  - {name: https, type: http, url: "https://localhost:${https.port}/json", tls: {ca: "${certs.caPath}"}}
  - {name: tcp, type: tcp, host: localhost, port: ${pg.port}}
  - {name: dns, type: dns, query: www.test, server: "${dns.address}"}
  - {name: tls, type: tls, host: localhost, port: ${https.port}, ca: "${certs.caPath}"}
  - {name: postgres, type: postgres, url: "${pg.url()}"}
  - {name: mysql, type: mysql, url: "${my.url(MONITOR.user)}", password: "\${env:MY_PASSWORD}"}
  - {name: redis, type: redis, url: "${redis.url()}"}
`);
  const { code, stdout, stderr } = await run([bin, 'run', '--config', suite, '--no-sinks', '--termination-log', '', '--output', 'json'], { MY_PASSWORD: MONITOR.password });
  assert.ok(stdout.startsWith('{'), `${stdout}\n${stderr}`);
  const record = JSON.parse(stdout) as { verdict: string; probes: { name: string; verdict: string; error: string | null }[] };
  assert.deepEqual(record.probes.map((p) => [p.name, p.verdict, p.error]), ['http', 'https', 'tcp', 'dns', 'tls', 'postgres', 'mysql', 'redis'].map((n) => [n, 'passed', null]), stderr);
  assert.equal(code, 0, stderr);
});

test('the built CLI validates the examples', async () => {
  const { code, stderr } = await run([bin, 'validate', '--config', join(ROOT, 'examples/default')]);
  assert.equal(code, 0, stderr);
});
