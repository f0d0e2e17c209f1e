// The chart as a dependency of an app's own chart (the way most apps add it): a `file://`
// dependency fetched by the real `helm dependency build`, values scoped under `syncproof:`, names
// from the parent's release, the same hook semantics, and the parent switching it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertValidObjects } from './support/k8s-schema.ts';
import { CHART, find, helm, missingTools, render } from './support/tools.ts';
import { assertHookSemantics, jobSpec, validateSuite } from './support/semantics.ts';

const skip = missingTools();

/** The parent chart beside a copy of this chart (its `file://../syncproof`), dependencies built. */
function parentChart(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'syncproof-parent-'));
  const dir = join(root, 'shop');
  cpSync(join(import.meta.dirname, 'fixtures', 'parent-app'), dir, { recursive: true });
  cpSync(CHART, join(root, 'syncproof'), { recursive: true });
  const built = helm(['dependency', 'build', dir]);
  assert.equal(built.ok, true, built.stderr);
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('helm dependency build packages the file:// dependency and locks it', { skip }, (t) => {
  const parent = parentChart();
  t.after(parent.cleanup);
  assert.deepEqual(readdirSync(join(parent.dir, 'charts')), ['syncproof-0.1.0.tgz']);
  assert.ok(existsSync(join(parent.dir, 'Chart.lock')));
  const lint = helm(['lint', '--strict', parent.dir]);
  assert.equal(lint.ok, true, lint.stdout + lint.stderr);
});

test('as a dependency: scoped values, parent release names, hook semantics', { skip }, async (t) => {
  const parent = parentChart();
  t.after(parent.cleanup);
  const objects = render('shop', parent.dir, ['-n', 'shop', '--set-string', 'syncproof.app.revision=0123456']);
  await assertValidObjects(objects);
  assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
    'ConfigMap/shop-syncproof',
    'Job/shop-syncproof',
    'Service/shop-shop',
    'ServiceAccount/shop-syncproof',
  ]);
  const job = find(objects, 'Job');
  assertHookSemantics(job, 'shop-syncproof', 120);
  assert.equal(jobSpec(job).activeDeadlineSeconds, 120 + 10 + 120);
  assert.equal(jobSpec(job).template.metadata.annotations?.['sidecar.istio.io/inject'], 'false');
  const revision = jobSpec(job).template.spec.containers[0]?.env?.find((e) => e.name === 'ARGOCD_APP_REVISION');
  assert.equal(revision?.value, '0123456', 'forceString keeps a numeric-looking revision a string');
  assert.equal(job.metadata.labels?.['helm.sh/chart'], 'syncproof-0.1.0');
  assert.match(await validateSuite(find(objects, 'ConfigMap')), /valid: suite shop, 1 probe/);
});

test('as a dependency: the parent can switch it off, and its schema still applies', { skip }, (t) => {
  const parent = parentChart();
  t.after(parent.cleanup);
  const off = render('shop', parent.dir, ['-n', 'shop', '--set', 'syncproof.enabled=false']);
  assert.deepEqual(off.map((o) => o.kind), ['Service']);
  assert.throws(() => render('shop', parent.dir, ['-n', 'shop', '--set', 'syncproof.logLevel=loud']), /logLevel/);
});
