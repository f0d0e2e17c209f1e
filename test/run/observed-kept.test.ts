// What a run keeps of an observation once its assertions have seen it: the record's cut (~4 KiB per
// string, 100 items per list), not a body of up to 1 MiB and its parsed JSON per probe until the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { loadSuite } from '../../src/config/load.ts';
import { createLogger } from '../../src/log.ts';
import { RECORD_LIST_LIMIT, RECORD_STRING_LIMIT } from '../../src/record/compact.ts';
import { buildRecord } from '../../src/record/record.ts';
import { runSuite } from '../../src/run/runner.ts';
import { tempFiles } from '../support/cli.ts';

const ITEMS = 40_000;
const BODY = JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => `item-${i}`), tail: 'END-MARKER' });

test('assertions see the whole body; the outcome keeps only the record\'s cut of it, counted once', async (t) => {
  assert.ok(BODY.length > 500_000 && BODY.length < 1024 * 1024, `${BODY.length}`);
  const server = http.createServer((_req, res) => res.end(BODY));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const { port } = server.address() as net.AddressInfo;
  const files = tempFiles({ 'suite.yaml': `defaults: { within: 0s }
probes:
${[1, 2, 3].map((i) => `  - name: big-${i}
    type: http
    url: http://127.0.0.1:${port}/
    expect:
      - body contains "END-MARKER"
      - json.tail == "END-MARKER"
      - json.items contains "item-${ITEMS - 1}"
`).join('')}` });
  t.after(files.cleanup);
  const loaded = await loadSuite(files.path('suite.yaml'), {});
  assert.ok(loaded.ok);
  const outcome = await runSuite(loaded.suite, { log: createLogger('silent') });
  for (const probe of outcome.probes) {
    assert.equal(probe.verdict, 'passed', probe.summary);
    const observed = probe.observed as unknown as { body: string; json: { items: string[]; tail: string }; status: number };
    assert.equal(observed.body, `${BODY.slice(0, RECORD_STRING_LIMIT)}… [truncated, ${BODY.length} chars]`);
    assert.equal(observed.json.items.length, RECORD_LIST_LIMIT + 1);
    assert.equal(observed.json.items.at(-1), `… [truncated, ${ITEMS} items]`);
    assert.equal(observed.json.tail, 'END-MARKER');
    assert.equal(observed.status, 200);
  }
  // The record does not cut what the runner already cut: the count is still the body's own length.
  const record = buildRecord(loaded.suite, outcome, {});
  const body = (record.probes[0]!.observed as { body: string }).body;
  assert.ok(body.endsWith(`… [truncated, ${BODY.length} chars]`), body.slice(-60));
  assert.equal(body.length, RECORD_STRING_LIMIT + `… [truncated, ${BODY.length} chars]`.length);
});
