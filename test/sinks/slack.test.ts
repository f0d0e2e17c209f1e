import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliverAll } from '../../src/sinks/deliver.ts';
import { slack } from '../../src/sinks/slack.ts';
import { startReceiver } from '../support/receiver.ts';
import { memoryLog, sampleRecord, sinkConfig } from './fixture.ts';

interface Posted {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[];
}

async function post(t: { after: (fn: () => Promise<void>) => void }, record = sampleRecord('failed')): Promise<Posted> {
  const r = await startReceiver([{ status: 200, body: 'ok' }]);
  t.after(() => r.close());
  const [d] = await deliverAll(record, [sinkConfig('slack', { url: `${r.origin}/services/T0/B0/XYZ` }, { on: 'always' })], { windowMs: 5000, log: memoryLog().log });
  assert.equal(d?.outcome, 'delivered');
  assert.equal(r.requests[0]?.headers['content-type'], 'application/json');
  return JSON.parse(r.requests[0]!.body.toString('utf8')) as Posted;
}

test('a failed run: verdict, suite, app@short revision, the failing and warning lines, counts and duration', async (t) => {
  const msg = await post(t);
  assert.equal(msg.text, 'FAILED: 2 of 5 probes failed in 31.2s, 1 warned, 1 skipped (1 critical, not verified) · suite orders · app orders@3f2a9c1');
  const all = msg.blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ')).join('\n');
  assert.match(all, /^:x: \*FAILED: 2 of 5 probes failed in 31\.2s, 1 warned, 1 skipped \(1 critical, not verified\)\*\nsuite orders · app orders@3f2a9c1$/m);
  assert.ok(all.includes('✗ database connection: timeout after 5s'), all);
  assert.ok(all.includes('✗ replica lag: replication.lag = 47s (expected &lt; 10s)'), all);
  assert.match(all, /! cache warm: value = 0 \(expected &gt; 100\) +\[warning\]/);
  assert.ok(!all.includes('ingress'), 'passing probes are not listed');
  assert.ok(!all.includes('reports api'), 'skipped probes are not listed');
  assert.ok(all.includes('5 probes: 1 passed, 2 failed, 1 warned, 1 skipped'), all);
  assert.ok(!all.includes('3f2a9c1d'), 'only the short revision');
});

test('a passed run says so, with no probe lines', async (t) => {
  const record = sampleRecord('passed', {
    counts: { total: 1, passed: 1, failed: 0, warned: 0, skipped: 0 },
    probes: [{ ...sampleRecord().probes[0]! }],
    app: { name: null, namespace: null, project: null, revision: null, repoURL: null },
  });
  const msg = await post(t, record);
  assert.equal(msg.text, 'PASSED: 1 probe passed in 31.2s · suite orders');
  assert.equal(msg.blocks.length, 2);
  assert.match(msg.blocks[0]!.text!.text, /^:white_check_mark: \*PASSED/);
});

test('an aborted run names why', async (t) => {
  const msg = await post(t, sampleRecord('aborted'));
  assert.match(msg.text, /^ABORTED \(SIGTERM\): 2 of 5 probes failed/);
});

test('a long list of failures is cut to fit Slack, saying how many more', async (t) => {
  const many = Array.from({ length: 200 }, (_, i) => ({ ...sampleRecord().probes[1]!, name: `probe number ${i}` }));
  const msg = await post(t, sampleRecord('failed', { probes: many }));
  const lines = msg.blocks[1]!.text!.text;
  assert.ok(lines.length <= 3000, `${lines.length} characters`);
  assert.match(lines, /… \d+ more\n```$/);
});

test('Slack sinks default to on: failure, and the target hides the webhook path (its credential)', () => {
  assert.equal(slack.defaultOn, 'failure');
  assert.equal(slack.target(slack.spec.parse({ url: 'https://hooks.slack.com/services/T0/B0/secret' })), 'slack hooks.slack.com');
});
