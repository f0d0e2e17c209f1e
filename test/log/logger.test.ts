// The logger writes pino's line format: level number, time, the child's bindings, the call's fields, msg; an
// error as pino's `err` serializer has it; circular values and bigints without throwing; every stderr line redacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createLogger, type Logger } from '../../src/log.ts';

const SRC = new URL('../../src/', import.meta.url).href;

function capture(level: string | undefined): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(level, (line) => void lines.push(line)), lines };
}

/** The line without its `time`, which is the clock's. */
function untimed(line: string | undefined): string {
  assert.ok(line?.endsWith('}\n'), `one line with its newline: ${line}`);
  return line!.replace(/,"time":\d+/, '');
}

test('keys in pino order: level, time, the bindings in order, the fields, msg', () => {
  const { log, lines } = capture('trace');
  const before = Date.now();
  log.child({ sink: 'webhook', target: 'https://hooks.example' }).child({ nested: [1, { a: true }] })
    .warn({ attempt: 2, error: 'refused', skipped: undefined, ratio: NaN }, 'sink attempt failed');
  log.info('just text');
  const first = lines[0]!;
  assert.match(first, /^\{"level":40,"time":\d+,"sink"/);
  const time = (JSON.parse(first) as { time: number }).time;
  assert.ok(time >= before && time <= Date.now());
  assert.equal(untimed(first), '{"level":40,"sink":"webhook","target":"https://hooks.example","nested":[1,{"a":true}],'
    + '"attempt":2,"error":"refused","ratio":null,"msg":"sink attempt failed"}\n');
  assert.equal(untimed(lines[1]), '{"level":30,"msg":"just text"}\n');
});

test('strings are escaped as pino escapes them', () => {
  const { log, lines } = capture('trace');
  log.info({ 'a"b': 'quote " back \\ tab \t' }, 'line\nbreak');
  assert.equal(untimed(lines[0]), '{"level":30,"a\\"b":"quote \\" back \\\\ tab \\t","msg":"line\\nbreak"}\n');
});

test('an error under err, or given alone, is type, message and stack with its causes, then its own keys', () => {
  const { log, lines } = capture('trace');
  const cause = new RangeError('socket closed');
  const error = Object.assign(new TypeError('write failed', { cause }), { code: 'EPIPE', path: '/tmp/x' });
  log.error({ err: error, probe: 'db' }, 'probe type threw instead of reporting a failure');
  log.error(error);
  const [withFields, alone] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const err = withFields!.err as Record<string, unknown>;
  assert.deepEqual(Object.keys(err), ['type', 'message', 'stack', 'code', 'path']);
  assert.equal(err.type, 'TypeError');
  assert.equal(err.message, 'write failed: socket closed');
  assert.equal(err.stack, `${error.stack}\ncaused by: ${cause.stack}`);
  assert.equal(withFields!.probe, 'db');
  assert.deepEqual(alone!.err, err);
  assert.equal(alone!.msg, 'write failed', 'an error given alone lends its message');
  assert.deepEqual(Object.keys(alone!), ['level', 'time', 'err', 'msg']);
});

test('circular values become "[Circular]" (keys sorted, as safe-stable-stringify writes them), bigints numbers', () => {
  const { log, lines } = capture('trace');
  const loop: Record<string, unknown> = { z: 1, a: 'x' };
  loop.self = loop;
  log.info({ loop, big: 12345678901234567890n, fine: { b: 1, a: 2 } }, 'odd values');
  const bound: Record<string, unknown> = { n: 1 };
  bound.back = bound;
  log.child({ bound }).info('bound');
  assert.equal(untimed(lines[0]), '{"level":30,"loop":{"a":"x","self":"[Circular]","z":1},"big":12345678901234567890,'
    + '"fine":{"b":1,"a":2},"msg":"odd values"}\n');
  assert.equal(untimed(lines[1]), '{"level":30,"bound":{"back":"[Circular]","n":1},"msg":"bound"}\n');
});

test('LOG_LEVEL: lower levels are not written, silent writes nothing, empty or unknown means info', () => {
  const written = (level: string | undefined): number[] => {
    const { log, lines } = capture(level);
    for (const name of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) log[name](name);
    return lines.map((l) => (JSON.parse(l) as { level: number }).level);
  };
  assert.deepEqual(written('trace'), [10, 20, 30, 40, 50, 60]);
  assert.deepEqual(written('WARN'), [40, 50, 60]);
  assert.deepEqual(written('silent'), []);
  for (const level of ['', 'verbose', 'toString', undefined]) assert.deepEqual(written(level), [30, 40, 50, 60], String(level));
});

test('on stderr every line is redacted, written before the call returns', () => {
  const script = [
    `import { createLogger } from '${SRC}log.ts';`,
    `import { registerSecret } from '${SRC}secrets.ts';`,
    `registerSecret('s3cret-token-value');`,
    `const log = createLogger('info');`,
    `log.child({ url: 'postgres://app:hunter22@db/orders' }).warn({ header: 'Bearer s3cret-token-value' }, 'sent s3cret-token-value');`,
    `log.debug('not at info');`,
    `process.reallyExit(0);`, // no flushing at exit: what was not written synchronously is lost
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(untimed(run.stderr), '{"level":40,"url":"postgres://app:***@db/orders","header":"Bearer ***","msg":"sent ***"}\n');
});
