// values.schema.json and the chart's own guards reject what would make a broken Job, at render
// time, with a message that says what to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DURATION_PATTERN } from '../../src/duration.ts';
import { CHART, helmTemplate, missingTools, renderer } from './support/tools.ts';

const skip = missingTools();
const MINIMAL = join(import.meta.dirname, 'fixtures', 'minimal-values.yaml');

function fails(args: readonly string[], message: RegExp): void {
  const result = helmTemplate('orders', CHART, ['-n', 'orders', ...args]);
  assert.equal(result.ok, false, `expected a failure, got:\n${result.stdout}`);
  assert.match(result.stderr, message);
}

test('no suite and no existingConfigMap is an error', { skip }, () => {
  fails([], /probes/);
});

test('unknown and mistyped values are errors', { skip }, () => {
  fails(['-f', MINIMAL, '--set', 'podAnotations.x=y'], /podAnotations/);
  fails(['-f', MINIMAL, '--set', 'logLevel=loud'], /logLevel/);
  fails(['-f', MINIMAL, '--set', 'hook.deletePolicy=Never'], /deletePolicy/);
  fails(['-f', MINIMAL, '--set-string', 'suite.deadline=five minutes'], /deadline/);
  fails(['-f', MINIMAL, '--set-string', 'suite.deadline=5m5m'], /deadline/);
  fails(['-f', MINIMAL, '--set', 'image.digest=latest'], /digest/);
});

test("the chart checks suite.deadline with the suite's own duration grammar", () => {
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
  assert.equal(schema.properties.suite.properties.deadline.pattern, DURATION_PATTERN);
});

test('a revision passed without forceString and read as a number is an error', { skip }, () => {
  fails(['-f', MINIMAL, '--set', 'app.revision=1234567'], /revision/);
  assert.equal(helmTemplate('orders', CHART, ['-n', 'orders', '-f', MINIMAL, '--set-string', 'app.revision=1234567']).ok, true);
});

test('activeDeadlineSeconds at or below the suite deadline plus grace is an error', { skip }, () => {
  fails(['-f', MINIMAL, '--set', 'job.activeDeadlineSeconds=310'], /must be above .* \(310\)/);
  assert.equal(helmTemplate('orders', CHART, ['-n', 'orders', '-f', MINIMAL, '--set', 'job.activeDeadlineSeconds=311']).ok, true);
});

test('a bare `on:` sink key, which Helm reads as true, is caught with the fix', { skip }, (t) => {
  const bare = join(import.meta.dirname, 'fixtures', 'bare-on-values.yaml');
  fails(['-f', MINIMAL, '-f', bare], /write it quoted: "on": failure/);
  t.diagnostic(`renderer: ${renderer}`);
});
