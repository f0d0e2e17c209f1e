// Every class of configuration error, exactly as users read it: `FILE:LINE:COL  path  message`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { tempFiles } from '../support/cli.ts';

/** The error lines for one suite file, with its temp path shown as `suite.yaml`. */
async function errorLines(t: { after: (fn: () => void) => void }, yaml: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), env);
  assert.equal(result.ok, false, 'the suite should not load');
  return result.ok ? [] : formatConfigErrors(result.errors).split('\n').map((line) => line.replaceAll(files.path('suite.yaml'), 'suite.yaml'));
}

const tcp = (name: string, extra = '') => `  - name: ${name}\n    type: tcp\n    host: 127.0.0.1\n    port: 5432\n${extra}`;

test('an unknown key is reported at the key, with a hint', async (t) => {
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a', '    hst: x\n')}`), [
    'suite.yaml:6:5  probes["a"].hst  unknown key "hst" (did you mean "host"?)',
  ]);
  assert.deepEqual(await errorLines(t, `concurency: 3\nprobes:\n${tcp('a')}`), [
    'suite.yaml:1:1  concurency  unknown key "concurency" (did you mean "concurrency"?)',
  ]);
});

test('a wrong value is reported at the value; a missing key at its mapping', async (t) => {
  assert.deepEqual(await errorLines(t, 'probes:\n  - name: a\n    type: tcp\n    port: "5432"\n'), [
    'suite.yaml:2:5  probes["a"].host  missing required key "host"',
    'suite.yaml:4:11  probes["a"].port  must be a number, got "5432"',
  ]);
  assert.deepEqual(await errorLines(t, `concurrency: 0\nprobes:\n${tcp('a', '    passes: 1.5\n    severity: fatal\n')}`), [
    'suite.yaml:1:14  concurrency  must be at least 1',
    'suite.yaml:7:13  probes["a"].passes  must be a whole number, got number 1.5',
    'suite.yaml:8:15  probes["a"].severity  must be one of "critical", "warning", got "fatal"',
  ]);
  // A block mapping or list starts at its first item, a line below; its key is where the reader looks.
  assert.deepEqual(await errorLines(t, 'probes:\n  - name: a\n    type: http\n    url: http://x\n    headers:\n      - x\n    expect:\n      a: b\n'), [
    'suite.yaml:5:5  probes["a"].headers  must be a mapping, got a list',
    'suite.yaml:7:5  probes["a"].expect  must be a list, got a mapping',
  ]);
});

test('a bad duration says which forms are accepted', async (t) => {
  assert.deepEqual(await errorLines(t, `defaults:\n  timeout: 5 s\n  within: 30\nprobes:\n${tcp('a', '    interval: soon\n    timeout: 0s\n')}`), [
    'suite.yaml:2:12  defaults.timeout  must be a duration (250ms, 5s, 2m, 1h, 14d or compounds like 1m30s), got "5 s"',
    'suite.yaml:3:11  defaults.within  must be a duration (250ms, 5s, 2m, 1h, 14d or compounds like 1m30s), got number 30',
    'suite.yaml:9:15  probes["a"].interval  must be a duration (250ms, 5s, 2m, 1h, 14d or compounds like 1m30s), got "soon"',
    'suite.yaml:10:14  probes["a"].timeout  must be longer than 0s',
  ]);
});

test('a compound duration needs its units largest first, each once; timers are at most 24d', async (t) => {
  assert.deepEqual(await errorLines(t, `deadline: 25d\ndefaults:\n  within: 5s5s\nprobes:\n${tcp('a', '    timeout: 1s1m\n    interval: 24d1ms\n')}`), [
    'suite.yaml:1:11  deadline  must be at most 24d',
    'suite.yaml:3:11  defaults.within  must be a duration with each unit at most once ("s" appears twice), e.g. 1m30s, got "5s5s"',
    'suite.yaml:9:14  probes["a"].timeout  must be a duration with its units largest first (d, h, m, s, ms), e.g. 1m30s, got "1s1m"',
    'suite.yaml:10:15  probes["a"].interval  must be at most 24d',
  ]);
});

test('names are one line without control characters or surrounding spaces; TLS options are not empty', async (t) => {
  const yaml = `suite: "orders\\nx"\nprobes:\n${tcp('"a\\u001b[31mred"')}${tcp('" b"')}  - name: c\n    type: tls\n    host: h\n    ca: ""\n    serverName: ""\n  - name: d\n    type: http\n    url: https://h\n    tls: {ca: "", serverName: ""}\n`;
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:1:8  suite  must be one line without control characters (it is printed in reports)',
    'suite.yaml:3:11  probes[0].name  must be one line without control characters (it is printed in reports)',
    'suite.yaml:7:11  probes[1].name  must not start or end with whitespace',
    'suite.yaml:14:9  probes["c"].ca  must not be empty',
    'suite.yaml:15:17  probes["c"].serverName  must not be empty',
    'suite.yaml:19:15  probes["d"].tls.ca  must not be empty',
    'suite.yaml:19:31  probes["d"].tls.serverName  must not be empty',
  ]);
});

test('an unknown probe or sink type, with a hint and the known types', async (t) => {
  const lines = await errorLines(t, 'probes:\n  - name: a\n    type: htpp\n    url: http://x\nsinks:\n  - type: webhok\n    url: http://x\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /^suite\.yaml:3:11  probes\["a"\]\.type  unknown probe type "htpp" \(did you mean "http"\?\); known types: http, tcp, dns, tls/);
  assert.match(lines[1]!, /^suite\.yaml:6:11  sinks\[0\]\.type  unknown sink type "webhok" \(did you mean "webhook"\?\); known types: webhook, slack, postgres, file/);
  assert.deepEqual(await errorLines(t, 'probes:\n  - name: a\n    host: x\n'), ['suite.yaml:2:5  probes["a"].type  missing required key "type"']);
});

test('duplicate names, unknown after, self-reference and cycles', async (t) => {
  const yaml = `probes:\n${tcp('a', '    after: [c]\n')}${tcp('b', '    after: [a, dbb, b]\n')}${tcp('a')}${tcp('c', '    after: [b]\n')}${tcp('db')}`;
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:11:13  probes["b"].after[0]  cycle in after: a → c → b → a',
    'suite.yaml:11:16  probes["b"].after[1]  unknown probe "dbb" (did you mean "db"?)',
    'suite.yaml:11:21  probes["b"].after[2]  probe "b" cannot run after itself',
    'suite.yaml:12:11  probes[2].name  duplicate probe name "a" (first at suite.yaml:2:11)',
  ]);
});

test('an unset variable and an unreadable file name the variable or the file', async (t) => {
  const yaml = `probes:\n${tcp('a', '    after: ["${env:AFTER}"]\n')}  - name: b\n    type: http\n    url: \${file:/nonexistent/url}\n`;
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:6:13  probes["a"].after[0]  environment variable AFTER is not set: pass it from a Secret (in the chart: env with valueFrom.secretKeyRef); a value that is no secret can be ${var:AFTER:-default}',
    'suite.yaml:9:10  probes["b"].url  cannot read file /nonexistent/url (no such file or directory)',
  ]);
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a', '    expect:\n      - x${bad}\n      - "${env:X"\n      - $${ok}\n')}`), [
    'suite.yaml:7:9  probes["a"].expect[0]  malformed "${bad}": use ${env:NAME}, ${env:NAME:-fallback}, ${file:/path}, ${app:FIELD}, ${var:NAME} or ${var:NAME:-fallback} (write $${ for a literal ${)',
    'suite.yaml:8:9  probes["a"].expect[1]  unterminated "${env:X": use ${env:NAME}, ${env:NAME:-fallback}, ${file:/path}, ${app:FIELD}, ${var:NAME} or ${var:NAME:-fallback} (write $${ for a literal ${)',
    'suite.yaml:9:9  probes["a"].expect[2]  expected a field name at the start, e.g. "status" or "json.items[0].id", found "${ok}"',
  ]);
});

test('a bad expect line is reported at its offset inside the line', async (t) => {
  const lines = await errorLines(t, 'probes:\n  - name: a\n    type: http\n    url: http://x\n    expect:\n      - status >= 200\n      - status ==\n      - "sttus == 200"\n      - |\n        status\n        == "x"\n');
  assert.deepEqual(lines, [
    'suite.yaml:7:18  probes["a"].expect[1]  missing value after ==',
    'suite.yaml:8:10  probes["a"].expect[2]  unknown field "sttus" (did you mean "status"?); this probe type observes: status, headers, body, json, tls.authorized, tls.expiresIn, tls.issuer, tls.subject, duration',
    lines[2]?.startsWith('suite.yaml:9:9  probes["a"].expect[3]  ') ? lines[2] : 'a multi-line scalar is reported at its start',
  ]);
});

test('YAML syntax errors and duplicate keys become errors with a position', async (t) => {
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a')}    port: 1\n`), ['suite.yaml:6:5  YAML: Map keys must be unique']);
  const syntax = await errorLines(t, 'probes: [\n  - name: a\n');
  assert.ok(syntax.length >= 1 && syntax.every((line) => /^suite\.yaml:\d+:\d+  YAML: /.test(line)), syntax.join('\n'));
  assert.deepEqual(await errorLines(t, '- a\n- b\n'), ['suite.yaml:1:1  a suite file must be a mapping with probes (and suite, defaults, sinks…), got a list']);
  assert.deepEqual(await errorLines(t, '# only a comment\n'), ['suite.yaml:1:1  a suite file must be a mapping with probes (and suite, defaults, sinks…), got nothing']);
  assert.deepEqual(await errorLines(t, 'suite: x\n'), ['suite.yaml:1:1  probes  missing required key "probes": a suite needs at least one probe']);
});

test('the alias limit of the yaml package holds', async (t) => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 8; i++) bomb.push(`${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
  const lines = await errorLines(t, `${bomb.join('\n')}\nprobes:\n${tcp('a')}`);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /^suite\.yaml:1:1  YAML: .*alias/i);
});

test('a merge key of YAML 1.1 with no alias is still checked; a second document is an error at its start', async (t) => {
  // No alias in the file: the loader must still expand it, or `<<: 5` would pass as a key named "<<".
  assert.deepEqual(await errorLines(t, `%YAML 1.1\n---\nprobes:\n  - <<: 5\n    name: a\n`), ['suite.yaml:1:1  YAML: Merge sources must be maps or map aliases']);
  // Nor in YAML 1.2 with the merge tag written out.
  assert.deepEqual(await errorLines(t, `probes:\n  - !!merge <<: 5\n    name: a\n`), ['suite.yaml:1:1  YAML: Merge sources must be maps or map aliases']);
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a')}---\nsuite: b\n---\nsuite: c\n`), ['suite.yaml:6:1  YAML: Source contains multiple documents; please use YAML.parseAllDocuments()']);
});

test('every error is reported at once, sorted by line', async () => {
  const fixture = new URL('../fixtures/config/many-errors.yaml', import.meta.url).pathname;
  const result = await loadSuite(fixture, {});
  assert.equal(result.ok, false);
  if (result.ok) return;
  const lines = formatConfigErrors(result.errors).split('\n').map((l) => l.replaceAll(fixture, 'many-errors.yaml'));
  assert.deepEqual(lines, [
    'many-errors.yaml:3:3  defaults.intervall  unknown key "intervall" (did you mean "interval"?)',
    'many-errors.yaml:6:11  probes["db dns"].type  unknown probe type "tcpp" (did you mean "tcp"?); known types: ' + lines[1]!.split('known types: ')[1],
    'many-errors.yaml:10:11  probes[1].port  must be at most 65535',
    'many-errors.yaml:11:13  probes[1].after[0]  unknown probe "db dn" (did you mean "db dns"?)',
    'many-errors.yaml:12:11  probes[1].host  environment variable DB_HOST is not set: pass it from a Secret (in the chart: env with valueFrom.secretKeyRef); a value that is no secret can be ${var:DB_HOST:-default}',
    'many-errors.yaml:13:11  probes[2].name  duplicate probe name "db" (first at many-errors.yaml:8:11)',
    'many-errors.yaml:16:14  probes[2].expect[0]  unknown field "stauts" (did you mean "status"?); this probe type observes: status, headers, body, json, tls.authorized, tls.expiresIn, tls.issuer, tls.subject, duration',
    'many-errors.yaml:19:9  sinks[0].on  must be one of "always", "failure", "success", got "failures" (did you mean "failure"?)',
  ]);
});

test('a probe listed twice in after is reported at the second, with the first', async (t) => {
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a')}${tcp('b', '    after: [a, a]\n')}${tcp('c', '    after:\n      - b\n      - a\n      - b\n')}`), [
    'suite.yaml:10:16  probes["b"].after[1]  "a" is listed twice in after (first at suite.yaml:10:13)',
    'suite.yaml:18:9  probes["c"].after[2]  "b" is listed twice in after (first at suite.yaml:16:9)',
  ]);
});

test('a timeout longer than the deadline is reported at the timeout, naming the deadline', async (t) => {
  const longer = (timeout: string, deadline: string, where: string) =>
    `timeout ${timeout} is longer than the deadline ${deadline} (${where}): no attempt could run to its timeout`;
  assert.deepEqual(await errorLines(t, `deadline: 30s\ndefaults:\n  timeout: 1m\nprobes:\n${tcp('a')}${tcp('b', '    timeout: 45s\n')}${tcp('c', '    timeout: 30s\n')}`), [
    `suite.yaml:3:12  defaults.timeout  ${longer('1m', '30s', 'suite.yaml:1:11')}`,
    `suite.yaml:13:14  probes["b"].timeout  ${longer('45s', '30s', 'suite.yaml:1:11')}`,
  ]);
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a', '    timeout: 5m1s\n')}`), [
    `suite.yaml:6:14  probes["a"].timeout  ${longer('5m1s', '5m', 'the default')}`,
  ]);
  // The built-in 5s timeout of a probe without one, under a shorter deadline: said at the deadline.
  assert.deepEqual(await errorLines(t, `deadline: 3s\nprobes:\n${tcp('a', '    timeout: 2s\n')}${tcp('b')}`), [
    'suite.yaml:1:11  deadline  is shorter than the default timeout 5s of probes without their own: set defaults.timeout to at most 3s',
  ]);
});

test('a deadline in one file bounds the timeouts of another', async (t) => {
  const files = tempFiles({ 'a.yaml': 'deadline: 10s\n', 'b.yaml': `probes:\n${tcp('a', '    timeout: 20s\n')}` });
  t.after(files.cleanup);
  const result = await loadSuite(files.dir, {});
  assert.equal(result.ok, false);
  assert.deepEqual(result.ok ? [] : formatConfigErrors(result.errors).split('\n'), [
    `${files.path('b.yaml')}:6:14  probes["a"].timeout  timeout 20s is longer than the deadline 10s (${files.path('a.yaml')}:1:11): no attempt could run to its timeout`,
  ]);
});

test('timeouts within the deadline load; a broken deadline is not read as its default', async (t) => {
  const files = tempFiles({ 'suite.yaml': `deadline: 3s\ndefaults:\n  timeout: 3s\nprobes:\n${tcp('a')}${tcp('b', '    timeout: 1s\n')}` });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.deepEqual(await errorLines(t, `deadline: 10 m\nprobes:\n${tcp('a', '    timeout: 6m\n')}`), [
    'suite.yaml:1:11  deadline  must be a duration (250ms, 5s, 2m, 1h, 14d or compounds like 1m30s), got "10 m"',
  ]);
});

test('a malformed duration in an expect line says what is wrong with it', async (t) => {
  assert.deepEqual(await errorLines(t, `probes:\n${tcp('a', '    expect:\n      - duration < 5s5s\n')}`), [
    'suite.yaml:7:20  probes["a"].expect[0]  "5s5s" is not a duration: write it with each unit at most once ("s" appears twice), e.g. 1m30s',
  ]);
});
