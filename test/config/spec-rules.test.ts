// A probe or sink type's own rules across its keys (`.refine`/`.superRefine` on its spec object) hold at the
// boundary, positioned like every other configuration error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { probeSchema, sinkSchema } from '../../src/config/schema.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';
import { runCli, tempFiles } from '../support/cli.ts';

async function errorLines(t: { after: (fn: () => void) => void }, yaml: string): Promise<string[]> {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.equal(result.ok, false, 'the suite should not load');
  return result.ok ? [] : formatConfigErrors(result.errors).split('\n').map((line) => line.replaceAll(files.path('suite.yaml'), 'suite.yaml'));
}

const redis = (extra: string) => `probes:\n  - name: cache\n    type: redis\n${extra}`;

test('redis: `tls` with a redis:// url is reported at the tls key', async (t) => {
  assert.deepEqual(await errorLines(t, redis('    url: redis://127.0.0.1:6379\n    tls:\n      insecure: true\n')), [
    'suite.yaml:5:5  probes[0].tls  `tls` needs a rediss:// url',
  ]);
  assert.deepEqual(await errorLines(t, redis('    url: REDIS://127.0.0.1\n    tls: {insecure: true}\n')), [
    'suite.yaml:5:5  probes[0].tls  `tls` needs a rediss:// url',
  ]);
});

test('redis: `allowWrite: true` without a command is reported at allowWrite', async (t) => {
  assert.deepEqual(await errorLines(t, redis('    url: redis://127.0.0.1:6379\n    allowWrite: true\n')), [
    'suite.yaml:5:17  probes[0].allowWrite  `allowWrite` needs a `command`',
  ]);
});

test('both redis rules at once, beside an error in another probe', async (t) => {
  const yaml = `${redis('    url: redis://127.0.0.1\n    allowWrite: true\n    tls:\n      ca: /ca.pem\n')}  - name: port\n    type: tcp\n    host: 127.0.0.1\n    port: 0\n`;
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:5:17  probes[0].allowWrite  `allowWrite` needs a `command`',
    'suite.yaml:6:5  probes[0].tls  `tls` needs a rediss:// url',
    'suite.yaml:11:11  probes[1].port  must be at least 1',
  ]);
});

test('a suite that keeps the rules loads', async (t) => {
  const files = tempFiles({ 'suite.yaml': redis('    url: rediss://127.0.0.1:6380\n    tls: {insecure: true}\n    command: [SET, k, v]\n    allowWrite: true\n') });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.equal(result.suite.probes[0]!.spec.allowWrite, true);
});

test('syncproof validate exits 2 with FILE:LINE:COL for a broken cross-key rule', async (t) => {
  const files = tempFiles({ 'suite.yaml': redis('    url: redis://127.0.0.1:6379\n    tls:\n      insecure: true\n') });
  t.after(files.cleanup);
  const run = await runCli(['validate', '--config', files.path('suite.yaml')]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.ok(run.stderr.includes(`${files.path('suite.yaml')}:5:5  probes[0].tls  \`tls\` needs a rediss:// url`), run.stderr);
});

const checksOf = (schema: unknown): readonly unknown[] => (schema as { _zod: { def: { checks?: readonly unknown[] } } })._zod.def.checks ?? [];

test('every probe and sink schema carries all of its spec object\'s own checks', () => {
  for (const [union, registry] of [[probeSchema(), probeTypes], [sinkSchema(), sinkTypes]] as const) {
    for (const type of Object.values(registry)) {
      const option = union.options.find((o) => o.shape.type.value === type.type);
      assert.ok(option, `${type.type}: an option in the union`);
      for (const check of checksOf(type.spec)) assert.ok(checksOf(option).includes(check), `${type.type}: a check of its spec is not applied`);
    }
  }
  assert.ok(checksOf(probeTypes.redis!.spec).length > 0, 'redis has object-level checks, so this test checks something');
});
