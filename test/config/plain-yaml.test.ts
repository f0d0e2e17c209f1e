// The plain-subset reader (src/config/plain-yaml.ts) against the yaml package: on every text it reads, the
// tree, its positions, errors and warnings are the ones the yaml package's reading gives; on the texts it
// declines, the yaml package reads them. Texts: the repository's YAML files and line-wise mutations of them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPlainBlockYaml } from '../../src/config/plain-yaml.ts';
import { parseYamlFile } from '../../src/config/yaml.ts';

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

const SUITE = ['suite: s', 'defaults:', '  within: 0s', 'probes:', '- name: a', '  type: http', "  url: 'http://x/'", '  expect:', '  - status == 200',
  '  - "body contains \'ok\'"', '-', '  name: b # a comment', '  type: tcp', '  host: ${env:HOST}', '  port: 0o17', '  retries: -012', '  big: 123456789012345678901234567890', '  on: True', '  off: ~', '  ratio: 1.5e3', '  after:', '  - a'].join('\n');

test('the plain-subset reader gives what the yaml package gives, on every text it reads', () => {
  const env = { HOST: '127.0.0.1', BENCH_MYSQL_PASSWORD: 'secret-password' };
  let read = 0;
  let declined = 0;
  for (const file of [...yamlFiles('test'), ...yamlFiles('examples'), ...yamlFiles('hooks')]) {
    for (const text of mutations(readFileSync(file, 'utf8'))) {
      if (readPlainBlockYaml(text) === undefined) {
        declined++;
        continue;
      }
      read++;
      assert.deepEqual(parseYamlFile('s.yaml', text, env), parseYamlFile('s.yaml', text, env, {}, 'yaml'), `${file}, as:\n${text}`);
    }
  }
  for (const text of mutations(SUITE)) {
    if (readPlainBlockYaml(text) === undefined) continue;
    read++;
    assert.deepEqual(parseYamlFile('s.yaml', text, env), parseYamlFile('s.yaml', text, env, {}, 'yaml'), text);
  }
  // Both kinds occur: the comparison is not vacuous.
  assert.ok(read > 1000 && declined > 1000, `read ${read}, declined ${declined}`);
});

test('the suite of this test is itself read by the plain-subset reader', () => {
  assert.ok(readPlainBlockYaml(SUITE) !== undefined);
});
