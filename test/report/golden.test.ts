// Golden files of what a person or a CI system reads: the human report, JUnit XML, the termination
// message and the Slack message, each rendered from the fixed records in test/report/fixtures/*.json
// and compared byte for byte with test/report/golden/<fixture>.<format>.
//
// A change to a renderer that is meant: run
//   UPDATE_GOLDEN=1 node --test test/report/golden.test.ts
// which rewrites the golden files (and removes those of a fixture that is gone), then read the diff
// before committing it. Fixtures hold everything a renderer reads (ids, times, durations): no clock,
// no random id, and colour only in the one `human-color` rendering that asks for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, SinkDelivery } from '../../src/record/types.ts';
import { renderHuman } from '../../src/report/human.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { renderTermination, TERMINATION_LIMIT } from '../../src/report/termination.ts';
import { slackMessage } from '../../src/sinks/slack-message.ts';
import { deliveryLine } from '../../src/report/delivery-line.ts';
import { parseStoredRecord } from '../../src/store/record-shape.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = join(here, 'fixtures');
const GOLDEN = join(here, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** What the sinks reported for a fixture's run, as `run` hands them to the report and the termination message. */
const DELIVERIES: Readonly<Record<string, readonly SinkDelivery[]>> = {
  passed: [{ type: 'webhook', target: 'webhook https://hooks.example.com', required: true, outcome: 'delivered', attempts: 1, error: null }],
  failed: [
    { type: 'slack', target: 'slack hooks.slack.com', required: false, outcome: 'delivered', attempts: 2, error: null },
    { type: 'file', target: 'file /evidence/orders.json', required: false, outcome: 'not-sent', attempts: 0, error: 'on: success' },
  ],
  'aborted-deadline': [
    { type: 'webhook', target: 'webhook https://evidence.example.com', required: true, outcome: 'failed', attempts: 3, error: '503 Service Unavailable' },
    { type: 'slack', target: 'slack hooks.slack.com', required: false, outcome: 'failed', attempts: 1, error: 'timeout after 10s' },
  ],
};

type Render = (record: RunRecord, deliveries: readonly SinkDelivery[]) => string;
const human = (color: boolean): Render => (record, deliveries) => renderHuman(record, { color, deliveries, deliveryLines: deliveries.map(deliveryLine) });

/** Each format's file suffix and its renderer; `human-color` is rendered for one fixture only. */
const FORMATS: Readonly<Record<string, Render>> = {
  'human.txt': human(false),
  'junit.xml': (record) => renderJunit(record),
  'termination.txt': renderTermination,
  'slack.json': (record) => `${JSON.stringify(slackMessage(record), null, 2)}\n`,
};
const COLORED = { fixture: 'failed', suffix: 'human-color.txt', render: human(true) };

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

function load(name: string): RunRecord {
  const value: unknown = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
  const record = parseStoredRecord(value);
  assert.ok(record, `${name}.json is not a run record`);
  const count = (v: string) => record.probes.filter((p) => p.verdict === v).length;
  assert.deepEqual(record.counts, { total: record.probes.length, passed: count('passed'), failed: count('failed'), warned: count('warned'), skipped: count('skipped') }, `${name}.json: counts agree with its probes`);
  return record;
}

function expectGolden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    writeFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, 'utf8');
  } catch {
    assert.fail(`no golden file ${file}: run with UPDATE_GOLDEN=1 to write it`);
  }
  assert.equal(actual, expected, `${file} differs (UPDATE_GOLDEN=1 rewrites it when the change is meant)`);
}

const expectedFiles = () => [
  ...fixtures.flatMap((name) => Object.keys(FORMATS).map((suffix) => `${name}.${suffix}`)),
  `${COLORED.fixture}.${COLORED.suffix}`,
].sort();

test('the fixtures cover a passed, a failed, an aborted run, evidence over time and lists that are cut', () => {
  assert.deepEqual(fixtures, ['aborted-deadline', 'evidence', 'failed', 'long-lists', 'passed']);
  for (const name of Object.keys(DELIVERIES)) assert.ok(fixtures.includes(name), `deliveries for a fixture that is gone: ${name}`);
});

for (const name of fixtures) {
  test(`${name}: each format matches its golden file`, () => {
    const record = load(name);
    for (const [suffix, render] of Object.entries(FORMATS)) expectGolden(`${name}.${suffix}`, render(record, DELIVERIES[name] ?? []));
    if (name === COLORED.fixture) expectGolden(`${name}.${COLORED.suffix}`, COLORED.render(record, DELIVERIES[name] ?? []));
  });
}

test('every golden file belongs to a fixture and a format', () => {
  const present = () => readdirSync(GOLDEN).sort();
  if (UPDATE) for (const stray of present().filter((f) => !expectedFiles().includes(f))) rmSync(join(GOLDEN, stray));
  assert.deepEqual(present(), expectedFiles());
});

test('the colour codes appear only where colour was asked for', () => {
  const plain = readdirSync(GOLDEN).filter((f) => f !== `${COLORED.fixture}.${COLORED.suffix}`);
  for (const file of plain) assert.ok(!readFileSync(join(GOLDEN, file), 'utf8').includes('\x1b['), `${file} has an escape sequence`);
  assert.ok(readFileSync(join(GOLDEN, `${COLORED.fixture}.${COLORED.suffix}`), 'utf8').includes('\x1b[31m'));
});

test('the long lists are cut where they would not fit: the termination message in bytes, a Slack section in characters', () => {
  const record = load('long-lists');
  const termination = renderTermination(record);
  assert.ok(Buffer.byteLength(termination) <= TERMINATION_LIMIT, `${Buffer.byteLength(termination)} bytes`);
  assert.match(termination, /\n… \d+ more$/);
  const section = slackMessage(record).blocks[1];
  assert.ok(section?.type === 'section' && section.text.text.length <= 3000 && /\n… \d+ more\n```$/.test(section.text.text));
});
