// The plain-subset reader (src/config/plain-yaml.ts) against the yaml package: on every text it reads, the
// tree, its positions, errors and warnings are the ones the yaml package's reading gives; on the texts it
// declines, the yaml package reads them. Texts: the repository's YAML files and line-wise mutations of them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPlainBlockYaml, type ScalarMaker } from '../../src/config/plain-yaml.ts';
import * as yaml from 'yaml';
import { CORE_LITERAL, coreLiteral } from '../../src/config/core-literal.ts';
import { parsePlainYamlFile, parseYamlFile } from '../../src/config/yaml.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INSERTS = [': ', ' #', "'", '"', "''", '- ', ':', '  ', '#', '-', ' :', '~', '1', '0x1F', 'true', '[', '{', '&a', '*a', '!', '|', '\\', '<<: '];

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes('templates'))
    .map((e) => join(e.parentPath, e.name));
}

function* mutations(text: string): Generator<string> {
  yield text;
  const lines = text.split('\n');
  const at = (i: number, line: string[]) => [...lines.slice(0, i), ...line, ...lines.slice(i + 1)].join('\n');
  for (let i = 0; i < Math.min(lines.length, 40); i++) {
    const line = lines[i]!;
    yield at(i, []);
    yield at(i, [` ${line}`]);
    yield at(i, [line.replace(/^ /, '')]);
    yield at(i, [line, line]);
    const mid = Math.floor(line.length / 2);
    for (const insert of INSERTS) {
      yield at(i, [line.slice(0, mid) + insert + line.slice(mid)]);
      yield at(i, [line + insert]);
    }
  }
}

/** Values as they are written, nothing interpolated: whether the reader takes a text does not depend on them. */
const WRITTEN: ScalarMaker = { scalar: (value, _type, _source, at) => ({ kind: 'scalar', at, value }) };
const readsPlain = (text: string) => readPlainBlockYaml(text, 's.yaml', WRITTEN) !== undefined;

/** What loadSuite reads: the plain-subset reader's reading, else the yaml package's. */
function bothReaders(text: string, env: NodeJS.ProcessEnv) {
  return parsePlainYamlFile('s.yaml', text, env) ?? parseYamlFile(yaml, 's.yaml', text, env);
}

const SUITE = ['suite: s', 'defaults:', '  within: 0s', 'probes:', '- name: a', '  type: http', "  url: 'http://x/'", '  expect:', '  - status == 200',
  '  - "body contains \'ok\'"', '-', '  name: b # a comment', '  type: tcp', '  host: ${env:HOST}', '  port: 0o17', '  retries: -012', '  big: 123456789012345678901234567890', '  on: True', '  off: ~', '  ratio: 1.5e3', '  after:', '  - a'].join('\n');

test('the plain-subset reader gives what the yaml package gives, on every text it reads', () => {
  const env = { HOST: '127.0.0.1', BENCH_MYSQL_PASSWORD: 'secret-password' };
  let read = 0;
  let declined = 0;
  for (const file of [...yamlFiles('test'), ...yamlFiles('examples'), ...yamlFiles('hooks')]) {
    for (const text of mutations(readFileSync(file, 'utf8'))) {
      if (!readsPlain(text)) {
        declined++;
        continue;
      }
      read++;
      assert.deepEqual(bothReaders(text, env), parseYamlFile(yaml, 's.yaml', text, env), `${file}, as:\n${text}`);
    }
  }
  for (const text of mutations(SUITE)) {
    if (!readsPlain(text)) continue;
    read++;
    assert.deepEqual(bothReaders(text, env), parseYamlFile(yaml, 's.yaml', text, env), text);
  }
  // Both kinds occur: the comparison is not vacuous.
  assert.ok(read > 1000 && declined > 1000, `read ${read}, declined ${declined}`);
});

test('the suite of this test is itself read by the plain-subset reader', () => {
  assert.ok(readsPlain(SUITE));
});

test('the core-schema literals resolve as the yaml package resolves them', () => {
  const bodies = ['0', '7', '012', '123456789012345678901234567890', '0o17', '0o0', '0o777777777777777777777', '0x1F', '0xff', '0xFFFFFFFFFFFFFFFFFFFF',
    '1.5', '.5', '5.', '1.50', '1e3', '1E-3', '.5e+2', '5.e1', '.inf', '.Inf', '.INF', '.nan', '.NaN', '.NAN'];
  const texts = ['~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', ...bodies.flatMap((b) => [b, `-${b}`, `+${b}`])];
  let literals = 0;
  for (const text of texts) {
    if (!CORE_LITERAL.test(text)) continue;
    literals++;
    assert.deepEqual(coreLiteral(text), yaml.parse(text), text);
  }
  assert.ok(literals > 60, `${literals} literals`);
});

test('an interpolated literal with whitespace around it is left to the yaml package, which reads it as before', () => {
  const text = 'probes:\n- name: a\n  type: tcp\n  host: h\n  port: ${env:PORT}\n';
  for (const PORT of [' 80', '80\n', '\t80', '\u00a080', '80']) {
    const env = { PORT };
    const plain = parsePlainYamlFile('s.yaml', text, env);
    assert.equal(plain === undefined, PORT !== '80', JSON.stringify(PORT));
    assert.deepEqual(bothReaders(text, env), parseYamlFile(yaml, 's.yaml', text, env), JSON.stringify(PORT));
  }
});
