// Every example suite in examples/ loads and validates, so the docs cannot drift from the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { probeTypes } from '../../src/probes/index.ts';

const examples = fileURLToPath(new URL('../../examples', import.meta.url));
const suites = readdirSync(examples)
  .filter((name) => /\.ya?ml$/.test(name) || statSync(join(examples, name)).isDirectory())
  .map((name) => join(examples, name));

/** The variables an example interpolates, set to stand-in values as a Job's env would. */
function envFor(path: string): NodeJS.ProcessEnv {
  const files = statSync(path).isDirectory() ? readdirSync(path).map((f) => join(path, f)) : [path];
  const env: NodeJS.ProcessEnv = {};
  for (const file of files) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) env[name!] = `example-${name}`;
  }
  return env;
}

test('there is an example per probe type', () => {
  const names = readdirSync(examples);
  for (const type of Object.keys(probeTypes)) assert.ok(names.includes(`${type}.yaml`), `examples/${type}.yaml`);
});

for (const path of suites) {
  test(`example ${path.slice(examples.length + 1)} is a valid suite`, async () => {
    const result = await loadSuite(path, envFor(path));
    assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
    assert.ok(result.suite.probes.length > 0);
  });
}

test('the suite in the README is valid', async (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const yaml = /## A suite\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(yaml, 'the README has a suite example');
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-readme-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'password'), 'example-password\n');
  writeFileSync(join(dir, 'suite.yaml'), yaml.replaceAll('/var/run/secrets/db/password', join(dir, 'password')));
  const result = await loadSuite(join(dir, 'suite.yaml'), { HEALTH_TOKEN: 'example-token', WEBHOOK_SECRET: 'example-secret' });
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
});
