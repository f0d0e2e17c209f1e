// The JSON Schema agrees with `validate` (offline: the schema, like an editor, sees interpolations unresolved),
// checked with an independent validator (ajv, strict mode) on a corpus: every example, every bad-input file, and
// the cases of issue 12. Where JSON Schema cannot express a rule, the file or case is listed with the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { loadSuite } from '../../src/config/load.ts';
import { suiteJsonSchema } from '../../src/config/schema.ts';
import { tempFiles } from '../support/cli.ts';

const ajv = new Ajv({ strict: true, allErrors: true });
const check = ajv.compile(suiteJsonSchema());

/** Rules validate holds and JSON Schema cannot express: the schema accepts these files and cases. */
const NOT_EXPRESSIBLE: Readonly<Record<string, string>> = {
  'after-cycle.yaml': '`after` is a graph: cycles and a probe after itself',
  'after-unknown.yaml': '`after` names other probes of the suite',
  'bad-assertions.yaml': 'the assertion language (docs/assertions.md) is parsed, not matched',
  'bad-regexes.yaml': 'a regular expression in an expect line must compile',
  'bad-interpolation.yaml': 'the form of each ${…} reference',
  'duplicate-names.yaml': 'probe names are unique across the list',
  'timeout over the deadline': 'a timeout is compared with the deadline, another key',
  'mysql ssl-mode': "mysql url parameters and their ssl-mode words",
};

const dir = (path: string) => readdirSync(new URL(`../../${path}`, import.meta.url)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${path}/${f}`);
const corpus = [...dir('examples'), 'examples/default/suite.yaml', ...dir('test/fixtures/bad-input'), ...dir('test/fixtures/config')];

const CASES: Readonly<Record<string, string>> = {
  'port from ${env:}': 'probes:\n  - { name: db, type: tcp, host: h, port: "${env:DB_PORT}" }\n',
  'interpolated duration and URL': 'deadline: ${var:DEADLINE}\nprobes:\n  - { name: w, type: http, url: "${env:URL}", timeout: "${var:T}", followRedirects: "${var:F}" }\n',
  'upper-case URL schemes': 'probes:\n  - { name: w, type: http, url: "HTTPS://x.example" }\n  - { name: p, type: postgres, url: "POSTGRES://u@h/db" }\n  - { name: r, type: redis, url: "REDIS://h" }\n',
  'empty probes': 'probes: []\n',
  'blank name': 'probes:\n  - { name: " ", type: tcp, host: h, port: 1 }\n',
  'empty name': 'probes:\n  - { name: "", type: tcp, host: h, port: 1 }\n',
  'deadline 0s': 'deadline: 0s\nprobes:\n  - { name: a, type: tcp, host: h, port: 1 }\n',
  'timeout 0ms': 'probes:\n  - { name: a, type: tcp, host: h, port: 1, timeout: 0ms }\n',
  'timeout over the deadline': 'deadline: 10s\nprobes:\n  - { name: a, type: tcp, host: h, port: 1, timeout: 20s }\n',
  'port over 65535': 'probes:\n  - { name: a, type: tcp, host: h, port: 70000 }\n',
  'bad sslmode': 'probes:\n  - { name: p, type: postgres, url: "postgres://u@h/db?sslmode=verify_full" }\n',
  'good sslmode': 'probes:\n  - { name: p, type: postgres, url: "postgres://u@h/db?sslmode=verify-full&x=1" }\n',
  'mysql ssl-mode': 'probes:\n  - { name: m, type: mysql, url: "mysql://u@h/db?ssl-mode=BOGUS" }\n',
  'a literal $${ is no interpolation': 'probes:\n  - { name: a, type: tcp, host: h, port: "$${x}" }\n',
};

async function verdicts(name: string, text: string, path?: string): Promise<{ validate: boolean; schema: boolean }> {
  const files = path ? undefined : tempFiles({ 'suite.yaml': text });
  try {
    const loaded = await loadSuite(path ?? files!.path('suite.yaml'), {}, { offline: true });
    let data: unknown;
    try {
      const doc = parseDocument(text, { merge: true, logLevel: 'silent' });
      if (doc.errors.length > 0) throw doc.errors[0];
      data = doc.toJS({ maxAliasCount: 100 });
    } catch {
      return { validate: loaded.ok, schema: false }; // not YAML: an editor reports it as such
    }
    return { validate: loaded.ok, schema: check(data) };
  } finally {
    files?.cleanup();
  }
}

test('the schema compiles under ajv strict mode and agrees with validate on every file of the corpus', async () => {
  for (const path of corpus) {
    const name = path.split('/').at(-1)!;
    const v = await verdicts(name, readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), path);
    if (NOT_EXPRESSIBLE[name]) assert.deepEqual(v, { validate: false, schema: true }, `${path}: listed as not expressible (${NOT_EXPRESSIBLE[name]})`);
    else assert.equal(v.schema, v.validate, `${path}: validate ${v.validate}, schema ${v.schema}`);
  }
});

test('the schema agrees with validate on the cases of issue 12', async () => {
  for (const [name, text] of Object.entries(CASES)) {
    const v = await verdicts(name, text);
    if (NOT_EXPRESSIBLE[name]) assert.deepEqual(v, { validate: false, schema: true }, `${name}: listed as not expressible`);
    else assert.equal(v.schema, v.validate, `${name}: validate ${v.validate}, schema ${v.schema}`);
  }
});

test('one typo in a probe gives one error, at its key, not one per probe type', () => {
  assert.equal(check({ probes: [{ name: 'a', type: 'tcp', host: 'h', port: 1, hots: 'x' }] }), false);
  const errors = (check.errors ?? []).filter((e) => e.keyword !== 'if');
  assert.deepEqual(errors.map((e) => [e.instancePath, e.keyword, e.params]), [['/probes/0', 'additionalProperties', { additionalProperty: 'hots' }]]);
});
