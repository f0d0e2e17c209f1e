// Command line surface: usage errors, --version/--help, validate, schema, --only, --junit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { runCli, tempFiles } from '../support/cli.ts';
import { refusedPort } from '../support/net.ts';

test('--version and --help exit 0', async () => {
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^syncproof \d+\.\d+\.\d+\n$/);
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /syncproof run +\[--config PATH\]/);
});

test('usage errors exit 2 with a hint', async () => {
  for (const [args, text] of [
    [['rnu'], /unknown command "rnu" \(did you mean "run"\?\)/],
    [['run', '--ouput', 'json'], /^syncproof: unknown option --ouput \(did you mean --output\?\)\nUsage:\n {2}syncproof run +\[--config PATH\]/],
    [['validate', '--config'], /^syncproof: --config needs a value\nUsage:/],
    [['run', '--no-sinks=yes'], /^syncproof: --no-sinks takes no value\n/],
    [['run', '--offline'], /^syncproof: --offline is an option of validate only\n/],
    [['run', '--output', 'xml'], /--output must be human or json/],
    [[], /a command is required/],
  ] as const) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, text);
    assert.doesNotMatch(r.stderr, /positional argument|ERR_PARSE_ARGS/, "syncproof's own words, not node:util's");
  }
});

test('a configuration error exits 2 for run and validate, with file:line:col', async (t) => {
  const files = tempFiles({ 'suite.yaml': 'probes:\n  - name: x\n    type: tcp\n    hots: 127.0.0.1\n    port: 5432\n' });
  t.after(files.cleanup);
  for (const command of ['run', 'validate']) {
    const r = await runCli([command, '--config', files.path('suite.yaml'), '--termination-log', files.path(`term-${command}`)]);
    assert.equal(r.code, 2, r.stdout);
    assert.ok(r.stderr.includes(`${files.path('suite.yaml')}:4:5  probes["x"].hots`), r.stderr);
    assert.match(r.stderr, /did you mean "host"/);
  }
  assert.match(readFileSync(files.path('term-run'), 'utf8'), /^CONFIGURATION ERROR\n.*suite\.yaml:4:5/);
});

test('validate reports a valid suite; SYNCPROOF_CONFIG is the default path', async (t) => {
  const files = tempFiles({ 'suite.yaml': 'suite: shop\nprobes:\n  - name: x\n    type: tcp\n    host: 127.0.0.1\n    port: 5432\n' });
  t.after(files.cleanup);
  const r = await runCli(['validate'], { env: { SYNCPROOF_CONFIG: files.path('suite.yaml') } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^valid: suite shop, 1 probe, 0 sinks/);
});

test('schema prints a draft-07 JSON Schema', async () => {
  const r = await runCli(['schema']);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.stdout).$schema, 'http://json-schema.org/draft-07/schema#');
});

test('--only runs the named probes and what they run after; unknown names exit 2', async (t) => {
  const port = await refusedPort();
  const tcp = (name: string, extra = '') => `  - name: ${name}\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 0s\n${extra}`;
  const files = tempFiles({ 'suite.yaml': `probes:\n${tcp('a')}${tcp('b', '    after: [a]\n')}${tcp('c')}` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--only', 'b', '--output', 'json']);
  assert.deepEqual(JSON.parse(r.stdout).probes.map((p: { name: string }) => p.name), ['a', 'b']);
  const bad = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--only', 'bb']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--only "bb" names no probe .*did you mean "b"/);
});

test('--junit writes one testcase per probe; a critical probe skipped is a failure (not verified)', async (t) => {
  const port = await refusedPort();
  const files = tempFiles({ 'suite.yaml': `suite: shop\nprobes:\n  - name: "a <b>"\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    within: 0s\n  - name: c\n    type: tcp\n    host: 127.0.0.1\n    port: ${port}\n    after: ["a <b>"]\n` });
  t.after(files.cleanup);
  const r = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--junit', files.path('junit.xml')]);
  assert.equal(r.code, 1);
  const xml = readFileSync(files.path('junit.xml'), 'utf8');
  assert.match(xml, /<testsuite name="shop" tests="2" failures="2" skipped="0"/);
  assert.match(xml, /<testcase name="a &lt;b&gt;" classname="shop\.tcp" time="[\d.]+">\n {6}<failure message="connection refused \(127\.0\.0\.1:\d+\)"/);
  assert.match(xml, /<testcase name="c" [^>]+>\n {6}<failure message="not verified: skipped after a &lt;b&gt; failed" type="not-verified">skipped \(after a &lt;b&gt; failed\)<\/failure>/);
});

test('configuration errors as a JSON document (validate and run --output json) and as failed JUnit testcases', async (t) => {
  const files = tempFiles({ 'suite.yaml': 'probes:\n  - name: x\n    type: tcp\n    hots: 127.0.0.1\n    port: 99999\n' });
  t.after(files.cleanup);
  const expected = [
    { file: files.path('suite.yaml'), line: 4, col: 5, path: 'probes["x"].hots', message: 'unknown key "hots" (did you mean "host"?)' },
    { file: files.path('suite.yaml'), line: 5, col: 11, path: 'probes["x"].port', message: 'must be at most 65535' },
  ];
  for (const command of ['validate', 'run']) {
    const r = await runCli([command, '--config', files.path('suite.yaml'), '--output', 'json', '--junit', files.path(`${command}.xml`), '--termination-log', '']);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { valid: false, errors: expected }, command);
    assert.match(r.stderr, /suite\.yaml:4:5  probes\["x"\]\.hots  unknown key/, 'the text lines stay on stderr');
    const xml = readFileSync(files.path(`${command}.xml`), 'utf8');
    assert.match(xml, /<testsuite name="configuration" tests="2" failures="2" skipped="0"/);
    assert.equal(xml.match(/<failure message=/g)?.length, 2);
    assert.ok(xml.includes('<failure message="must be at most 65535" type="configuration-error">'), xml);
  }
  const valid = tempFiles({ 'suite.yaml': 'suite: shop\nprobes:\n  - { name: x, type: tcp, host: 127.0.0.1, port: 1 }\n' });
  t.after(valid.cleanup);
  const ok = await runCli(['validate', '--config', valid.path('suite.yaml'), '--output', 'json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { valid: true, offline: false, suite: 'shop', probes: 1, sinks: 0, files: [valid.path('suite.yaml')], warnings: [] });
});

test('an output file that cannot be written is a usage error before anything runs', async (t) => {
  let connections = 0;
  const server = net.createServer((s) => { connections++; s.end(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  const files = tempFiles({ 'suite.yaml': `probes:\n  - { name: x, type: tcp, host: 127.0.0.1, port: ${port} }\n` });
  t.after(files.cleanup);
  for (const [flag, path, why] of [
    ['--junit', files.path('missing/junit.xml'), 'no such file or directory'],
    ['--junit', files.dir, 'it is a directory'],
    ['--termination-log', files.path('missing/term'), 'no such file or directory'],
  ] as const) {
    const r = await runCli(['run', '--config', files.path('suite.yaml'), ...(flag === '--junit' ? ['--termination-log', ''] : []), flag, path]);
    assert.equal(r.code, 2, `${flag} ${path}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `syncproof: ${flag} ${path}: cannot write it (${why})\n`);
  }
  const v = await runCli(['validate', '--config', files.path('suite.yaml'), '--junit', files.path('missing/v.xml')]);
  assert.equal(v.code, 2);
  assert.equal(connections, 0, 'no probe ran');
});

test('validate --offline checks interpolations for their form, reads no variable or file, and still checks the rest', async (t) => {
  const suite = [
    'probes:',
    '  - name: db',
    '    type: postgres',
    '    url: ${env:DB_URL}',
    '    port: ${env:DB_PORT}',
    '    password: ${file:/var/run/secrets/db/password}',
    '    timeout: ${var:DB_TIMEOUT}',
    '    expect: [connected, \'json.v == "${app:revision}"\']',
    '  - name: web',
    '    type: http',
    '    url: https://${var:HOST}/healthz',
    'sinks:',
    '  - { type: webhook, url: "${env:HOOK_URL}" }',
    '',
  ].join('\n');
  const bad = suite.replace('sinks:\n', '    hdrs: {}\n    expect: ["status == ${var:CODE}", statuss == 200]\n  - name: x\n    type: tcp\n    host: ${env:H}\n    port: ${nope:P}\nsinks:\n');
  const files = tempFiles({ 'suite.yaml': suite, 'bad.yaml': bad });
  t.after(files.cleanup);
  const online = await runCli(['validate', '--config', files.path('suite.yaml')]);
  assert.equal(online.code, 2, 'without --offline the variables and the file are needed');
  const r = await runCli(['validate', '--offline', '--config', files.path('suite.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `valid (offline: interpolations not resolved): suite suite, 2 probes, 1 sink (${files.path('suite.yaml')})\n`);
  const broken = await runCli(['validate', '--offline', '--config', files.path('bad.yaml'), '--output', 'json']);
  assert.equal(broken.code, 2);
  assert.deepEqual(JSON.parse(broken.stdout).errors.map((e: { line: number; path: string; message: string }) => `${e.line} ${e.path} ${e.message.slice(0, 30)}`), [
    '12 probes["web"].hdrs unknown key "hdrs"',
    '13 probes["web"].expect[1] unknown field "statuss" (did y',
    '17 probes["x"].port malformed "${nope:P}": use ${e',
  ]);
});

test('the CI recipe for a suite kept in chart values: its `suite` key, validated offline', async (t) => {
  const { parse, stringify } = await import('yaml');
  const values = parse(readFileSync(new URL('../chart/fixtures/orders-values.yaml', import.meta.url), 'utf8')) as { suite: unknown };
  const files = tempFiles({ 'suite.yaml': stringify(values.suite) });
  t.after(files.cleanup);
  const r = await runCli(['validate', '--offline', '--config', files.path('suite.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^valid \(offline: interpolations not resolved\): suite orders, 2 probes, 1 sink/);
});
