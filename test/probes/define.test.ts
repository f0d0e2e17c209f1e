// A type's schema is built when it is first read, once: loading the registry builds none, so a suite pays
// only for the types it uses (docs/PERFORMANCE.md). The same holds for sinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from '../../src/zod.ts';
import { defineProbe } from '../../src/probes/types.ts';
import { defineSink } from '../../src/sinks/types.ts';

test('defineProbe and defineSink build the spec on its first read and keep it', () => {
  let builds = 0;
  const spec = () => {
    builds++;
    return z.strictObject({ host: z.string() });
  };
  const probe = defineProbe({
    type: 'example', spec, fields: {}, defaultExpect: [], target: (s) => s.host, hosts: (s) => [s.host], insecure: () => false,
    load: () => Promise.reject(new Error('not loaded here')),
  });
  const sink = defineSink({ type: 'example', spec, defaultOn: 'always', target: (s) => s.host, hosts: () => [], deliver: () => Promise.resolve({ ok: true }) });
  assert.equal(builds, 0);
  assert.equal(probe.spec, probe.spec);
  assert.equal(builds, 1);
  assert.deepEqual(probe.spec.parse({ host: 'db' }), { host: 'db' });
  assert.equal(sink.spec, sink.spec);
  assert.equal(builds, 2);
  assert.equal(probe.target({ host: 'db' }), 'db');
});
