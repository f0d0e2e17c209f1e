// The built CLI (esbuild bundles src/ and its drivers into dist/), laid out and primed by the command the
// Dockerfile runs (`tools/build.ts --app DIR --prime`: bin/, dist/, package.json, compile-cache/, no
// node_modules), against real servers of every probe type.
// The other tests run src/ directly; this one catches what only bundling breaks (a driver's export
// shape, a chunk that is not where a relative path expects it, the lookup helper's entry).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { startDnsmasq, type DnsServer } from '../support/dns-server.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';
import { MONITOR, provision, startMariaDb, type MyServer } from '../support/mysql.ts';
import { startPostgres, type PgServer } from '../support/postgres.ts';
import { startRedis, type RedisServer } from '../support/redis.ts';
import { startGrpcServer, type GrpcServer } from '../support/grpc.ts';
import { RABBIT_ADMIN, startRabbitMq, type RabbitServer } from '../support/rabbitmq.ts';
import { startNats, type NatsNode } from '../support/nats.ts';
import { startKafka, type KafkaBroker } from '../support/kafka.ts';
import { startMetricsTarget, startPrometheus, type MetricsTarget, type PrometheusServer } from '../support/prometheus.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = join(ROOT, 'tools/build.ts');
const app = mkdtempSync(join(tmpdir(), 'syncproof-built-'));
const bin = join(app, 'bin', 'syncproof.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: app, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let certs: TestCerts, https: TestServer, http: TestServer, dns: DnsServer, pg: PgServer, my: MyServer, redis: RedisServer, grpc: GrpcServer, rabbit: RabbitServer, nats: NatsNode, kafka: KafkaBroker;
let metrics: MetricsTarget, prom: PrometheusServer;

before(async () => {
  const built = await run([BUILD, '--app', app, '--prime']);
  assert.deepEqual(built, { code: 0, stdout: '', stderr: '' });
  [certs, dns, pg, my, redis, grpc, rabbit, nats, kafka] = await Promise.all([makeCerts(), startDnsmasq(), startPostgres(), startMariaDb(), startRedis(), startGrpcServer(), startRabbitMq(),
    startNats({ streams: [{ name: 'ORDERS', subjects: ['orders.>'] }] }), startKafka()]);
  await provision(my);
  [http, https] = await Promise.all([startHttpServer(), startHttpServer({ tls: certs.valid })]);
  metrics = await startMetricsTarget();
  prom = await startPrometheus(metrics);
});

after(async () => {
  await Promise.allSettled([http?.close(), https?.close(), dns?.stop(), pg?.stop(), my?.stop(), redis?.stop(), grpc?.stop(), rabbit?.stop(), nats?.stop(), kafka?.stop(), certs?.remove(), prom?.stop().then(() => metrics?.close())]);
  rmSync(app, { recursive: true, force: true });
});

test('the build is bundled: dist/ holds the CLI, the lookup helper and chunks, and nothing resolves node_modules', () => {
  const files = readdirSync(join(app, 'dist'));
  assert.ok(files.includes('cli.js') && files.includes('host-lookup-helper.js') && files.includes('THIRD-PARTY-LICENSES.txt'), files.join(' '));
  for (let dir = app; dir !== dirname(dir); dir = dirname(dir)) assert.ok(!existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists`);
});

test('every chunk is ASCII, so V8 holds it as a one-byte string (esbuild leaves comments unescaped)', () => {
  for (const file of readdirSync(join(app, 'dist')).filter((f) => /\.c?js$/.test(f))) {
    const text = readFileSync(join(app, 'dist', file), 'utf8');
    const at = text.search(/[^\0-\x7f]/);
    assert.equal(at, -1, `${file} holds ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`);
  }
});

test('the app layout is what the image holds, and the primed compile cache is the one Node accepts', async () => {
  assert.deepEqual(readdirSync(app).sort(), ['bin', 'compile-cache', 'dist', 'package.json']);
  const { code, stderr } = await run([bin, '--version'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  assert.equal(code, 0, stderr);
  assert.ok(stderr.includes(`code cache for ESM ${pathToFileURL(join(app, 'dist', 'cli.js')).href} was accepted`), stderr);
});

// The short-run V8 settings (src/process/v8-tuning.ts) are part of V8's flag hash, and with a cache they compile
// whole modules: a module whose cache is rejected, or was never primed, would then be compiled whole at each start.
test('run from the primed app takes every module it loads from the cache', async () => {
  const suite = join(ROOT, 'tools/prime-compile-cache.yaml');
  const { stderr } = await run([bin, 'run', '--config', suite, '--no-sinks', '--termination-log', ''], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  const modules = stderr.split('\n').filter((line) => line.includes('V8 code cache for ESM'));
  assert.ok(modules.length > 10, stderr);
  assert.deepEqual(modules.filter((line) => !line.includes(' was accepted')), []);
});

// bin/syncproof.js compiles dist/validate.cjs with the code cache priming wrote after a run (under V8's default
// flags, which it compiles under); with another file's cache, V8 rejects it, and validate still works.
test('validate from the primed app runs dist/validate.cjs with its code cache, and no ES module of dist/', async () => {
  const suite = join(ROOT, 'tools/prime-compile-cache.yaml');
  const { code, stderr } = await run([bin, 'validate', '--config', suite], { NODE_DEBUG: 'syncproof', NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  assert.equal(code, 0, stderr);
  assert.match(stderr, new RegExp(`validate script ${join(app, 'dist', 'validate.cjs')}: code cache accepted`));
  assert.deepEqual(stderr.split('\n').filter((line) => line.includes('/dist/') && line.includes('for ESM')), [], 'ES modules of dist/');
  await inTempDir('syncproof-script-cache-', async (dir) => {
    const copy = join(dir, 'app');
    const cacheFile = join(copy, 'compile-cache', scriptCacheName(app));
    const validateCopy = () => run([join(copy, 'bin', 'syncproof.js'), 'validate', '--config', suite], { NODE_DEBUG: 'syncproof' });
    cpSync(app, copy, { recursive: true });
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 4096));
    const torn = await validateCopy();
    assert.equal(torn.code, 0, torn.stderr);
    assert.match(torn.stderr, /code cache rejected/);
    // One that cannot be read is no cache, not a crash.
    rmSync(cacheFile);
    mkdirSync(cacheFile);
    const unreadable = await validateCopy();
    assert.equal(unreadable.code, 0, unreadable.stderr);
    assert.match(unreadable.stderr, /code cache none/);
    // Another build's script (its id on the first line differs, the length does not) is not given this build's cache.
    rmSync(cacheFile, { recursive: true });
    cpSync(join(app, 'compile-cache', scriptCacheName(app)), cacheFile);
    const script = join(copy, 'dist', 'validate.cjs');
    const text = readFileSync(script, 'utf8');
    writeFileSync(script, text.replace(/^(\/\/ syncproof-build [0-9a-f]{15})([0-9a-f])/, (_, head: string, last: string) => `${head}${last === '0' ? '1' : '0'}`));
    const other = await validateCopy();
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /code cache none/);
  });
});

/** The validate script's code cache in `app`'s compile-cache/: filed under the build's id, the script's first line. */
function scriptCacheName(dir: string): string {
  const id = /^\/\/ syncproof-build ([0-9a-f]{16})\n/.exec(readFileSync(join(dir, 'dist', 'validate.cjs'), 'utf8'))?.[1];
  assert.ok(id, 'dist/validate.cjs starts with its build id');
  return `validate-${id}.v8`;
}

test('validate from the app reports what validate from the checkout does, errors and their positions included', () => inTempDir('syncproof-script-same-', async (dir) => {
  const suites = {
    errors: 'suite: s\nprobes:\n  - name: a\n    type: tcp\n    host: 127.0.0.1\n    port: 99999\n  - name: a\n    type: htp\n    url: x\n    timeout: 5 s\n',
    flow: 'probes: [{name: t, type: tcp, host: 127.0.0.1, port: "${env:NOT_SET}"}, {name: u, type: http, url: "http://x/", expect: ["status >"]}]\n',
  };
  for (const [name, text] of Object.entries(suites)) {
    writeFileSync(join(dir, `${name}.yaml`), text);
    for (const output of [[], ['--output', 'json']]) {
      const args = ['validate', '--config', join(dir, `${name}.yaml`), ...output];
      const [fromApp, fromCheckout] = await Promise.all([run([bin, ...args]), run([join(ROOT, 'bin', 'syncproof.js'), ...args])]);
      assert.equal(fromApp.code, 2, fromApp.stderr);
      assert.deepEqual(fromApp, fromCheckout, `${name} ${output.join(' ')}`);
    }
  }
}));

test('a compile cache that is not the app\'s primed one does not make modules compile whole', () => inTempDir('syncproof-foreign-cache-', async (dir) => {
  // NODE_COMPILE_CACHE enables that directory before bin/syncproof.js can enable the app's: nothing there is primed.
  const bytes = async (name: string, args: string[]) => {
    const cacheDir = join(dir, name);
    mkdirSync(cacheDir);
    const { code, stderr } = await run([...args, bin, 'run', '--config', join(ROOT, 'tools/prime-compile-cache.yaml'), '--no-sinks', '--termination-log', ''], { NODE_COMPILE_CACHE: cacheDir });
    assert.equal(code, 1, stderr);
    return bytesUnder(cacheDir);
  };
  const lazy = await bytes('foreign', []);
  const whole = await bytes('whole', ['--no-lazy']);
  assert.ok(lazy > 0 && lazy * 2 < whole, `${lazy} bytes written, ${whole} when compiled whole`);
  // And the app's own primed cache of dist/'s modules holds them whole (run's and the drivers'), not only what
  // V8 compiles eagerly.
  const primed = bytesUnder(join(app, 'compile-cache')) - statSync(join(app, 'compile-cache', scriptCacheName(app))).size;
  assert.ok(primed > 2 * lazy, `the primed cache holds ${primed} bytes; run's modules compiled lazily ${lazy}`);
}));

/** The size of every file under `dir`, summed. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Every file under `dir` with its content, to show a refused build left it as it was. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => { const path = join(e.parentPath, e.name); return `${path}${e.isFile() ? ` = ${readFileSync(path, 'utf8')}` : '/'}`; })
    .sort();
}

async function inTempDir(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--app refuses to empty a directory that is not an app layout', () => inTempDir('syncproof-not-an-app-', async (dir) => {
  writeFileSync(join(dir, 'notes.txt'), 'keep me');
  const { code, stderr } = await run([BUILD, '--app', dir]);
  assert.equal(code, 1);
  assert.match(stderr, /holds notes\.txt: not an app layout/);
  assert.deepEqual(readdirSync(dir), ['notes.txt']);
}));

test('--app refuses to empty an app layout that is not syncproof\'s (an installed npm package looks the same)', () => inTempDir('syncproof-foreign-app-', async (dir) => {
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'package.json'), '{"name": "left-pad", "bin": "bin/left-pad.js"}\n');
  writeFileSync(join(dir, 'bin', 'left-pad.js'), 'import "../dist/index.js";\n');
  writeFileSync(join(dir, 'dist', 'index.js'), 'export {};\n');
  const before = snapshot(dir);
  const { code, stdout, stderr } = await run([BUILD, '--app', dir, '--prime']);
  assert.deepEqual({ code, stdout }, { code: 1, stdout: '' });
  assert.equal(stderr, `tools/build.ts: ${dir} holds ${readdirSync(dir).join(', ')} but the package.json of "left-pad": not syncproof's app layout, so it is not emptied\n`);
  assert.deepEqual(snapshot(dir), before);
}));

test('--app naming a file, or a path through one, fails with a message and leaves the file alone', () => inTempDir('syncproof-app-file-', async (dir) => {
  const file = join(dir, 'app');
  writeFileSync(file, 'keep me');
  assert.deepEqual(await run([BUILD, '--app', file]), { code: 1, stdout: '', stderr: `tools/build.ts: ${file} is not a directory\n` });
  const below = await run([BUILD, '--app', join(file, 'sub')]);
  assert.equal(below.code, 1);
  assert.match(below.stderr, /^tools\/build\.ts: cannot create .*app\/sub: ENOTDIR[^\n]*\n$/);
  assert.deepEqual(snapshot(dir), [`${file} = keep me`]);
}));

test('OUTDIR is emptied when it holds an earlier build, and refused when it holds anything else (sources, a file)', () => inTempDir('syncproof-outdir-', async (dir) => {
  const out = join(dir, 'dist');
  for (let i = 0; i < 2; i++) {
    const built = await run([BUILD, out]);
    assert.deepEqual([built.code, built.stdout], [0, ''], built.stderr);
    assert.match(built.stderr, /^built .*dist: \d+ files, [\d.]+ MB\n$/);
  }
  assert.ok(readdirSync(out).includes('cli.js'));
  const sources = join(dir, 'src');
  cpSync(join(ROOT, 'src'), sources, { recursive: true });
  const before = snapshot(sources);
  const refused = await run([BUILD, sources]);
  assert.deepEqual([refused.code, refused.stdout], [1, '']);
  assert.match(refused.stderr, /^tools\/build\.ts: \S+src is not the output of an earlier build \(it holds [^)]*cli\.ts[^)]*\), so it is not emptied/);
  assert.deepEqual(snapshot(sources), before);
  // .js files alone are not enough: only a build writes THIRD-PARTY-LICENSES.txt.
  const scripts = join(dir, 'scripts');
  mkdirSync(scripts);
  writeFileSync(join(scripts, 'cli.js'), 'keep me');
  assert.equal((await run([BUILD, scripts])).code, 1);
  assert.deepEqual(snapshot(scripts), [`${join(scripts, 'cli.js')} = keep me`]);
  const file = join(dir, 'file');
  writeFileSync(file, 'keep me');
  assert.deepEqual(await run([BUILD, file]), { code: 1, stdout: '', stderr: `tools/build.ts: ${file} is not a directory\n` });
}));

test('priming ignores the caller\'s NODE_OPTIONS and NODE_COMPILE_CACHE, and a syncproof app is rebuilt in place', () => inTempDir('syncproof-primed-', async (dir) => {
  const primed = join(dir, 'app');
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  assert.deepEqual(await run([BUILD, '--app', primed]), { code: 0, stdout: '', stderr: '' });
  // --stack-trace-limit changes V8's flag hash: a cache primed under it is filed where a plain `node` never looks.
  const hostile = { NODE_OPTIONS: '--stack-trace-limit=50', NODE_COMPILE_CACHE: elsewhere };
  assert.deepEqual(await run([BUILD, '--app', primed, '--prime'], hostile), { code: 0, stdout: '', stderr: '' });
  const { code, stderr } = await run([join(primed, 'bin', 'syncproof.js'), '--version'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  assert.equal(code, 0, stderr);
  assert.ok(stderr.includes(`code cache for ESM ${pathToFileURL(join(primed, 'dist', 'cli.js')).href} was accepted`), stderr);
}));

test('the priming suite has a probe of every registered type, so every chunk is compiled into the cache', async () => {
  const result = await loadSuite(join(ROOT, 'tools/prime-compile-cache.yaml'), {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.deepEqual([...new Set(result.suite.probes.map((p) => p.type))].sort(), Object.keys(probeTypes).sort());
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
  assert.equal(stdout, `syncproof ${(await import('../../package.json', { with: { type: 'json' } })).default.version}\n`);
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
  - {name: grpc, type: grpc, host: localhost, port: ${grpc.port}}
  - {name: rabbitmq, type: rabbitmq, url: "${rabbit.url()}", password: "\${env:RABBIT_PASSWORD}", writeCheck: true, expect: [writable]}
  - {name: nats, type: nats, servers: ["localhost:${nats.port}"], stream: ORDERS, writeCheck: {subject: orders.canary}, expect: [writable]}
  - {name: kafka, type: kafka, brokers: ["localhost:${kafka.plaintext.split(':')[1]}"], group: g, expect: [state == "Dead"]}
  - {name: prometheus, type: prometheus, url: "${prom.url}", query: 'up{job="app"}', expect: [value == 1]}
`);
  // Every registered type but kubernetes, which needs an API server: test/kube runs it against a real control plane.
  const types = new Set([...readFileSync(suite, 'utf8').matchAll(/type: (\w+)/g)].map((m) => m[1]));
  assert.deepEqual([...types].sort(), Object.keys(probeTypes).filter((t) => t !== 'kubernetes').sort());
  const { code, stdout, stderr } = await run([bin, 'run', '--config', suite, '--no-sinks', '--termination-log', '', '--output', 'json'], { MY_PASSWORD: MONITOR.password, RABBIT_PASSWORD: RABBIT_ADMIN.password, NODE_DEBUG_NATIVE: 'CODE_CACHE' });
  // Under the short-run V8 flags a builtin keeps Node's code cache only if loaded first (src/net/driver-builtins.ts).
  // Two small ones Node loads only on a call, not on an import or a property read: by the first WebCrypto call
  // (a driver's) and when the lookup helper's IPC channel opens.
  const onCall = /^Code cache of internal\/(?:crypto\/webidl|child_process\/serialization) /;
  const fromSource = stderr.split('\n').filter((line) => line.endsWith(' is rejected') && !onCall.test(line));
  assert.deepEqual(fromSource, [], 'builtins compiled from source');
  assert.ok(stdout.startsWith('{'), `${stdout}\n${stderr}`);
  const record = JSON.parse(stdout) as { verdict: string; probes: { name: string; verdict: string; error: string | null }[] };
  assert.deepEqual(record.probes.map((p) => [p.name, p.verdict, p.error]), ['http', 'https', 'tcp', 'dns', 'tls', 'postgres', 'mysql', 'redis', 'grpc', 'rabbitmq', 'nats', 'kafka', 'prometheus'].map((n) => [n, 'passed', null]), stderr);
  assert.equal(code, 0, stderr);
});

test('the built CLI validates the examples', async () => {
  const { code, stderr } = await run([bin, 'validate', '--config', join(ROOT, 'examples/default')]);
  assert.equal(code, 0, stderr);
});

/** The chunks `entry` imports statically, itself included: what Node evaluates when it loads `entry`. */
function staticClosure(dist: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)";|^import\s*"\.\/([^"]+)";/gm)) visit(m[1] ?? m[2]!);
  };
  visit(entry);
  return seen;
}

test('the yaml package is a chunk of its own that run loads only for a file outside the plain subset', async () => {
  const dist = join(app, 'dist');
  const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const holders = files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('node_modules/yaml/'));
  assert.equal(holders.length, 1, holders.join(' '));
  const yamlChunk = holders[0]!;
  const entry = files.find((f) => f.startsWith('run-'))!;
  const loaded = new Set([...staticClosure(dist, 'cli.js'), ...staticClosure(dist, entry)]);
  assert.ok(!loaded.has(yamlChunk), `run imports ${yamlChunk} statically`);
  assert.ok([...loaded].some((f) => readFileSync(join(dist, f), 'utf8').includes(`import("./${yamlChunk}")`)), `nothing run loads imports ${yamlChunk}`);
  // And at run time: the chunks Node loads for a plain suite and for one with a flow list.
  await inTempDir('syncproof-lazy-yaml-', async (dir) => {
    const hook = join(dir, 'hook.mjs');
    writeFileSync(hook, "import { registerHooks } from 'node:module'; import { writeSync } from 'node:fs';\n"
      + "registerHooks({ load(url, context, next) { writeSync(2, `loaded ${url}\\n`); return next(url, context); } });\n");
    const suites = { plain: 'suite: s\nprobes:\n- name: t\n  type: tcp\n  host: 127.0.0.1\n  port: 1\n  within: 0s\n', flow: 'suite: s\nprobes: [{name: t, type: tcp, host: 127.0.0.1, port: 1, within: 0s}]\n' };
    for (const [kind, text] of Object.entries(suites)) {
      writeFileSync(join(dir, `${kind}.yaml`), text);
      const { code, stderr } = await run(['--import', pathToFileURL(hook).href, bin, 'run', '--config', join(dir, `${kind}.yaml`), '--no-sinks', '--termination-log', '']);
      assert.equal(code, 1, stderr);
      assert.ok(stderr.includes(`/dist/run-`), stderr);
      assert.equal(stderr.includes(`/dist/${yamlChunk}`), kind === 'flow', `${kind}:\n${stderr}`);
    }
  });
});
