import { test, before, after, type TestContext } from 'node:test';
import { spawn } from 'node:child_process';
import net from 'node:net';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { redis } from '../../src/probes/redis/index.ts';
import type { AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { parseAssertion } from '../../src/assert/parse.ts';
import { evaluate } from '../../src/assert/evaluate.ts';
import { startRedis, startRedisPair, waitForLinkDown, type RedisPair, type RedisServer } from '../support/redis.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { makeCerts } from '../support/certs.ts';

const observeRedis = await redis.load();

let pair: RedisPair;
let single: RedisServer;
before(async () => {
  [pair, single] = await Promise.all([startRedisPair(), startRedis()]);
});
after(async () => {
  await Promise.all([pair?.stop(), single?.stop()]);
});

function context(timeoutMs = 3000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'orders' };
}

function observe(input: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeRedis(redis.spec.parse(input), ctx);
}

async function observed(input: Record<string, unknown>): Promise<{ observed: Observed; summary: string; notes: readonly string[] }> {
  const result = await observe(input);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return { observed: result.observed, summary: result.summary, notes: result.notes ?? [] };
}

async function failure(input: Record<string, unknown>, ctx = context()): Promise<string> {
  const result = await observe(input, ctx);
  assert.equal(result.ok, false, JSON.stringify(result));
  return result.ok ? '' : result.error;
}

/** Whether an assertion line, as a user writes it, passes against an observation. */
function holds(line: string, seen: Observed): boolean {
  const parsed = parseAssertion(line, redis.fields);
  assert.ok(parsed.ok, `${line}: ${parsed.ok ? '' : parsed.message}`);
  return evaluate(parsed.assertion, { ...seen, duration: 5 }, redis.fields).passed;
}

const openHandles = (): number => process.getActiveResourcesInfo().filter((r) => ['TCPSocketWrap', 'TLSWrap', 'Timeout'].includes(r)).length;

/** Waits up to 1 s for `count()` to fall to `target` or below; true when it did. */
async function fallsTo(count: () => number, target: number): Promise<boolean> {
  for (let i = 0; i < 50 && count() > target; i++) await new Promise((r) => setTimeout(r, 20));
  return count() <= target;
}

test('a healthy primary: connected, primary, one replica, writable; the canary expires', async () => {
  const { observed: seen, summary } = await observed({ url: pair.primary.url(), writeCheck: true });
  assert.equal(seen.connected, true);
  assert.match(String(seen.version), /^7\.\d+\.\d+$/);
  assert.equal(seen.role, 'primary');
  assert.equal(seen.readOnly, false);
  assert.equal(seen.writable, true);
  const replication = seen.replication as { linkUp: unknown; lag: number; replicas: number };
  assert.equal(replication.linkUp, null);
  assert.equal(replication.replicas, 1);
  assert.ok(typeof replication.lag === 'number' && replication.lag >= 0, `lag ${replication.lag}`);
  assert.match(summary, /^primary, 1 replica, lag \d+(ms|\.?\d*s), writable$/);
  for (const line of ['connected', 'role == "primary"', 'writable', 'replication.replicas >= 1', 'replication.lag < 5s']) assert.ok(holds(line, seen), line);
  assert.equal(holds('role == "replica"', seen), false);
  const ttl = Number(await pair.primary.admin('TTL', 'syncproof:canary:orders'));
  assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
});

test('without writeCheck `writable` is not observed; without command `result` is not either', async () => {
  const { observed: seen } = await observed({ url: pair.primary.url() });
  assert.equal('writable' in seen, false);
  assert.equal('result' in seen, false);
  assert.equal(holds('writable', seen), false);
});

test('replicas counts only streaming replicas (state=online); one waiting for its full sync is named in a note', async (t) => {
  // A real replica held in wait_bgsave: the primary delays every diskless full sync by 60 s.
  const fresh = await startRedisPair();
  t.after(() => fresh.stop());
  await fresh.primary.admin('CONFIG', 'SET', 'repl-diskless-sync-delay', '60');
  const waiting = await startRedis({ args: ['--replicaof', fresh.primary.host, String(fresh.primary.port)] });
  t.after(() => waiting.stop());
  await primaryInfoShows(fresh.primary, /connected_slaves:2/, /state=wait_bgsave/);

  const both = await observed({ url: fresh.primary.url() });
  const replication = both.observed.replication as { replicas: number; lag: unknown };
  assert.equal(replication.replicas, 1);
  assert.equal(typeof replication.lag, 'number');
  assert.match(both.summary, /^primary, 1 replica, lag /);
  assert.deepEqual(both.notes, ['1 more replica is connected but not streaming yet (wait_bgsave)']);

  await fresh.replica.stop();
  await primaryInfoShows(fresh.primary, /connected_slaves:1\r?\n/, /state=wait_bgsave/);
  const onlyWaiting = await observed({ url: fresh.primary.url() });
  assert.deepEqual(onlyWaiting.observed.replication, { linkUp: null, lag: null, replicas: 0 });
  assert.equal(onlyWaiting.summary, 'primary, no replicas');
  assert.equal(holds('replication.replicas >= 1', onlyWaiting.observed), false);
});

/** Polls the primary's INFO replication until every pattern matches it. */
async function primaryInfoShows(server: RedisServer, ...patterns: RegExp[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const info = String(await server.admin('INFO', 'replication'));
    if (patterns.every((p) => p.test(info))) return;
    if (Date.now() > deadline) throw new Error(`INFO replication never matched ${patterns.join(' ')}:\n${info}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a caught-up replica: replica, link up, lag under 2s, read-only', async () => {
  const { observed: seen, summary } = await observed({ url: pair.replica.url() });
  assert.equal(seen.role, 'replica');
  assert.equal(seen.readOnly, true);
  const replication = seen.replication as { linkUp: unknown; lag: number };
  assert.equal(replication.linkUp, true);
  assert.ok(replication.lag >= 0 && replication.lag < 2000, `lag ${replication.lag}`);
  assert.match(summary, /^replica, lag \d/);
  for (const line of ['role == "replica"', 'replication.linkUp', 'replication.lag < 2s', 'readOnly']) assert.ok(holds(line, seen), line);
});

test('writeCheck on a replica: writable false with the server\'s reason, not an attempt error', async () => {
  const { observed: seen, summary, notes } = await observed({ url: pair.replica.url(), writeCheck: true });
  assert.equal(seen.writable, false);
  assert.ok(holds('!writable', seen));
  assert.match(summary, /, not writable$/);
  assert.deepEqual(notes, ['writeCheck: READONLY You can\'t write against a read only replica.']);
});

test('a write the server holds back (CLIENT PAUSE WRITE): writable false with a note, before the timeout, not an attempt error', async (t) => {
  await single.admin('SET', 'feature:paused', 'on');
  await single.admin('CLIENT', 'PAUSE', '20000', 'WRITE');
  t.after(() => single.admin('CLIENT', 'UNPAUSE'));
  const before = openHandles();
  const started = Date.now();
  const result = await observe({ url: single.url(), writeCheck: true, command: ['GET', 'feature:paused'] }, context(2000));
  const took = Date.now() - started;
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.observed.writable, false);
  assert.equal(result.observed.result, 'on', 'the command ran before the write was held');
  assert.ok(holds('!writable', result.observed));
  assert.equal(result.summary, 'primary, no replicas, not writable');
  assert.equal(result.notes?.length, 1);
  // The wait is what the attempt has left when the write starts: less when connecting was slow.
  const wait = /^writeCheck: no reply to SET within (\d+(?:\.\d+)?)(ms|s)$/.exec(result.notes?.[0] ?? '');
  assert.ok(wait, `note: ${result.notes?.[0]}`);
  const waitMs = Number(wait[1]) * (wait[2] === 's' ? 1000 : 1);
  // At least the stated wait (shown to a tenth of a second), and back before the 2s attempt timeout.
  assert.ok(took >= waitMs - 50 && took < 2000, `took ${took}ms, stated wait ${waitMs}ms`);
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
  await single.admin('CLIENT', 'UNPAUSE');
  assert.equal(await single.admin('EXISTS', 'syncproof:canary:orders'), 0, 'the held write did not happen after the connection closed');
});

test('command: the reply as result (text, nil, integer, list, hash), asserted like any field', async () => {
  const url = pair.primary.url();
  await pair.primary.admin('SET', 'feature:checkout', 'on');
  await pair.primary.admin('DEL', 'queue:orders');
  await pair.primary.admin('RPUSH', 'queue:orders', 'a', 'b', 'c');
  const get = (await observed({ url, command: ['GET', 'feature:checkout'] })).observed;
  assert.equal(get.result, 'on');
  assert.ok(holds('result == "on"', get));
  assert.equal(holds('result == "off"', get), false);
  assert.equal((await observed({ url, command: ['GET', 'no:such:key'] })).observed.result, null);
  const llen = (await observed({ url, command: ['LLEN', 'queue:orders'] })).observed;
  assert.equal(llen.result, 3);
  assert.ok(holds('result >= 3', llen));
  const range = (await observed({ url, command: ['LRANGE', 'queue:orders', '0', '-1'] })).observed;
  assert.deepEqual(range.result, ['a', 'b', 'c']);
  assert.ok(holds('result[1] == "b"', range) && holds('result.length == 3', range));
  await pair.primary.admin('HSET', 'limits:eu', 'rps', '50');
  assert.deepEqual((await observed({ url, command: ['HGETALL', 'limits:eu'] })).observed.result, ['rps', '50'], 'a hash as RESP2 pairs');
  // A readonly subcommand of a container command is judged by its own flags.
  await pair.primary.admin('SET', 'plain:number', '12345');
  assert.equal((await observed({ url, command: ['OBJECT', 'ENCODING', 'plain:number'] })).observed.result, 'int');
});

test('a write command without allowWrite is refused before it is sent; with allowWrite it is sent', async (t) => {
  const url = pair.primary.url();
  await pair.primary.admin('SET', 'feature:checkout', 'on');
  const monitor = await (await pair.primary.adminClient()).monitor();
  t.after(() => monitor.disconnect());
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.join(' ').toLowerCase()));
  await new Promise((r) => setTimeout(r, 100));
  const refused = await failure({ url, command: ['SET', 'feature:checkout', 'off'] });
  assert.equal(refused, 'refused to send SET: the server does not flag it read-only (set allowWrite: true to allow it)');
  assert.equal(await pair.primary.admin('GET', 'feature:checkout'), 'on');
  assert.match(await failure({ url, command: ['CONFIG', 'SET', 'maxmemory', '1'] }), /^refused to send CONFIG SET:/);
  assert.match(await failure({ url, command: ['FLUSHALL'] }), /^refused to send FLUSHALL:/);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(seen.some((line) => line.startsWith('command info set')), seen.join('\n'));
  assert.deepEqual(seen.filter((line) => /^(set|config set|flushall)\b/.test(line)), [], 'no write command reached the server');

  const allowed = await observed({ url, command: ['SET', 'feature:checkout', 'off'], allowWrite: true });
  assert.equal(allowed.observed.result, 'OK');
  assert.equal(await pair.primary.admin('GET', 'feature:checkout'), 'off');
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(seen.includes('set feature:checkout off'), seen.join('\n'));
});

test('an unknown command or a wrong type fails with the server\'s error', async () => {
  const url = pair.primary.url();
  assert.equal(await failure({ url, command: ['NOSUCHCMD', 'x'] }), 'ERR unknown command \'NOSUCHCMD\', with args beginning with: \'x\' ');
  await pair.primary.admin('SET', 'plain:string', 'x');
  assert.equal(await failure({ url, command: ['LLEN', 'plain:string'] }), 'WRONGTYPE Operation against a key holding the wrong kind of value');
});

test('the url\'s db index selects the database', async (t) => {
  const admin = await single.adminClient();
  t.after(() => admin.disconnect());
  await admin.select(3);
  await admin.set('where', 'db3');
  assert.equal((await observed({ url: single.url(3), command: ['GET', 'where'] })).observed.result, 'db3');
  assert.equal((await observed({ url: single.url(0), command: ['GET', 'where'] })).observed.result, null);
});

test('a password: a wrong one fails as authentication, never shown; the right one, from url or key, works', async (t) => {
  const password = 'S3cret-pw-for-app';
  await single.admin('ACL', 'SETUSER', 'app', 'on', `>${password}`, '~*', '+@all');
  t.after(() => single.admin('ACL', 'DELUSER', 'app'));
  const wrong = 'wrong-Pw-zz9';
  const input = { url: single.url().replace('redis://', 'redis://app:' + password + '@'), password: wrong };
  const result = await observe(input);
  assert.deepEqual(result, { ok: false, error: 'authentication failed for user "app"', retry: false });
  assert.equal(JSON.stringify(result).includes(wrong), false);
  assert.equal(redis.target(redis.spec.parse(input)), `redis://app@127.0.0.1:${single.port}/0`);
  assert.equal(redis.target(redis.spec.parse({ url: input.url })).includes(password), false);
  assert.equal((await observe({ url: input.url })).ok, true, 'the url\'s password');
  assert.equal((await observe({ url: single.url(), username: 'app', password })).ok, true, 'username and password keys');
  await single.admin('ACL', 'SETUSER', 'nopw', 'on', 'nopass', '~*', '+@all');
  t.after(() => single.admin('ACL', 'DELUSER', 'nopw'));
  assert.equal((await observe({ url: single.url(), username: 'nopw' })).ok, true, 'a nopass user by name alone');
  // The default user has no password here: Redis refuses AUTH, clients carry on, and so does the probe.
  const needless = await observed({ url: single.url(), password: wrong });
  assert.deepEqual(needless.notes, ['the server\'s default user has no password; `password` was not needed']);
});

test('a server that requires a password, given none: authentication required', async (t) => {
  await single.admin('ACL', 'SETUSER', 'default', 'resetpass', '>default-pw');
  t.after(() => single.admin('ACL', 'SETUSER', 'default', 'nopass'));
  assert.equal(await failure({ url: single.url() }), 'authentication required: the server asks for a password (set `password`)');
  assert.equal((await observe({ url: single.url(), password: 'default-pw' })).ok, true);
  assert.equal(await failure({ url: single.url(), password: 'not-it' }), 'authentication failed for user "default"');
});

test('a least-privilege user (the ACL of docs/probes/redis.md) can run every check', async (t) => {
  const docs = readFileSync(new URL('../../docs/probes/redis.md', import.meta.url), 'utf8');
  const line = docs.split('\n').find((l) => l.startsWith('ACL SETUSER syncproof '));
  assert.ok(line, 'the ACL line of the docs');
  const acl = line.split(' ').slice(2).map((word) => (word === '>CHANGE-ME' ? '>monitor-pw' : word));
  for (const server of [pair.primary, pair.replica]) await server.admin('ACL', 'SETUSER', ...acl);
  t.after(() => Promise.all([pair.primary, pair.replica].map((s) => s.admin('ACL', 'DELUSER', 'syncproof'))));
  await pair.primary.admin('SET', 'feature:checkout', 'on');
  await pair.primary.admin('DEL', 'queue:orders');
  await pair.primary.admin('RPUSH', 'queue:orders', 'a', 'b', 'c');
  await pair.waitForLink();
  const as = { username: 'syncproof', password: 'monitor-pw', writeCheck: true, command: ['GET', 'feature:checkout'] };
  const primary = await observed({ url: pair.primary.url(), ...as });
  assert.equal(primary.observed.writable, true);
  assert.equal(primary.observed.result, 'on');
  assert.equal((await observed({ url: pair.primary.url(), ...as, command: ['LLEN', 'queue:orders'] })).observed.result, 3);
  const replica = await observed({ url: pair.replica.url(), ...as });
  assert.equal(replica.observed.readOnly, true);
  assert.equal(replica.observed.writable, false);
  // Beyond its grants the server's refusal is the error.
  assert.match(await failure({ url: pair.primary.url(), ...as, command: ['GET', 'other:key'] }), /^NOPERM/);
  assert.match(await failure({ url: pair.primary.url(), ...as, writeCheck: false, command: ['SET', 'feature:checkout', 'x'], allowWrite: true }), /^NOPERM/);
  // Without COMMAND INFO the probe cannot tell a read from a write, so it sends nothing.
  await pair.primary.admin('ACL', 'SETUSER', 'syncproof', '-command|info');
  assert.equal(await failure({ url: pair.primary.url(), ...as, writeCheck: false }),
    'cannot check that GET is read-only (NOPERM this user has no permissions to run the \'command|info\' command); set allowWrite: true to send it unchecked');
});

test('rediss://: verified against the server\'s CA; an untrusted certificate is refused', async (t) => {
  const server = await startRedis({ tls: true });
  t.after(() => server.stop());
  assert.match(server.url(), /^rediss:/);
  const trusted = await observed({ url: server.url(), tls: { ca: server.caPem } });
  assert.equal(trusted.observed.connected, true);
  const where = `127.0.0.1:${server.port}`;
  assert.equal(await failure({ url: server.url() }), `self-signed certificate in chain (${where})`);
  assert.equal(await failure({ url: server.url(), tls: { ca: server.caPem, serverName: 'other.example' } }), `certificate does not match host name (${where})`);
  assert.equal((await observe({ url: server.url(), tls: { insecure: true } })).ok, true);
  await server.admin('SET', 'big', 'x'.repeat(9 * 1024 * 1024));
  assert.equal(await failure({ url: server.url(), tls: { ca: server.caPem }, command: ['GET', 'big'] }),
    `the server sent a 9 MiB string; syncproof reads at most 8 MiB per reply (${where})`, 'the wire is checked inside TLS too');
  assert.equal(await failure({ url: server.url().replace('rediss:', 'redis:') }), `connection closed by server (${where})`);
  assert.equal(await failure({ url: server.url(), tls: { ca: '/nonexistent/ca.pem' } }), 'CA file not found (/nonexistent/ca.pem)');
});

test('a refused port fails at once, naming the address', async () => {
  const port = await refusedPort();
  const started = Date.now();
  assert.equal(await failure({ url: `redis://127.0.0.1:${port}` }), `connection refused (127.0.0.1:${port})`);
  assert.ok(Date.now() - started < 3000 + 1000);
});

// A bare redis:// url, and aborted before it starts: test/probes/contract.test.ts.
test('a silent listener, asked for AUTH or a command, fails as a timeout within timeout + 1s and leaves no socket or timer', async (t) => {
  const deaf = await silentPeer();
  t.after(() => deaf.close());
  for (const input of [{ password: 'pw' }, { command: ['GET', 'k'] }]) {
    const before = openHandles();
    const started = Date.now();
    assert.equal(await failure({ url: `redis://127.0.0.1:${deaf.port}`, ...input }, context(400)), 'timeout after 400ms');
    assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
    assert.ok(await fallsTo(() => deaf.open(), 0), 'the connection was closed');
    assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
  }
  assert.equal(deaf.accepted(), 2);
});

test('a finished attempt leaves no socket or timer behind', async () => {
  const before = openHandles();
  await observed({ url: pair.primary.url(), writeCheck: true, command: ['GET', 'x'] });
  assert.ok(await fallsTo(openHandles, before));
});

test('a connect that never completes fails as a timeout, whether the signal or the driver\'s connect timer fires first', async (t) => {
  const port = await unacceptingListener(t);
  const before = openHandles();
  for (const ctx of [context(400), context(400, AbortSignal.timeout(3000))]) {
    const started = Date.now();
    assert.equal(await failure({ url: `redis://127.0.0.1:${port}` }, ctx), 'timeout after 400ms');
    assert.ok(Date.now() - started < 400 + 1000, `took ${Date.now() - started}ms`);
  }
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
});

/**
 * A port whose SYNs go unanswered: a listener (backlog 0) that never accepts, its accept queue
 * filled by the first connect, so Linux drops further SYNs. Node always accepts, so perl holds it.
 */
async function unacceptingListener(t: TestContext): Promise<number> {
  const script = '$|=1; use IO::Socket::INET; my $s = IO::Socket::INET->new(Listen => 0, LocalAddr => "127.0.0.1", LocalPort => 0) or die "$!"; print $s->sockport, "\\n"; <STDIN>;';
  const holder = spawn('perl', ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => { holder.stdin.end(); holder.kill(); });
  const port = await new Promise<number>((resolve, reject) => {
    holder.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    holder.once('exit', (code) => reject(new Error(`perl listener exited (${code})`)));
  });
  for (let i = 0; i < 8; i++) {
    const filler = net.connect({ host: '127.0.0.1', port });
    filler.on('error', () => {});
    t.after(() => filler.destroy());
    const connected = await new Promise<boolean>((resolve) => {
      filler.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) return port;
  }
  throw new Error('could not fill the accept queue');
}

test('a signal aborted while the attempt is starting (before the driver connects) opens no socket', async (t) => {
  const [peer, certs] = await Promise.all([silentPeer(), makeCerts()]);
  t.after(() => Promise.all([peer.close(), certs.remove()]));
  const before = openHandles();
  for (const input of [{}, { tls: { ca: certs.caPath } }]) {
    const controller = new AbortController();
    const url = `${'tls' in input ? 'rediss' : 'redis'}://127.0.0.1:${peer.port}`;
    const pending = observe({ url, ...input }, context(1000, controller.signal));
    controller.abort(); // the attempt has passed its first check and awaits its CA file or the driver's import
    assert.deepEqual(await pending, { ok: false, error: 'timeout after 1s' });
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(peer.accepted(), 0, 'no connection was made after the abort');
  assert.ok(await fallsTo(openHandles, before), 'no socket or timer outlives the attempt');
});

test('the spec: redis:// or rediss:// url with a db index; tls needs rediss; allowWrite needs a command', () => {
  for (const bad of [{ url: 'http://x' }, { url: 'redis://x/cache' }, { url: 'rediss://x', command: [] },
    { url: 'redis://x', tls: { insecure: true } }, { url: 'redis://x', allowWrite: true }, { url: 'redis://x', bogus: 1 }]) {
    assert.equal(redis.spec.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(redis.target(redis.spec.parse({ url: 'rediss://:pw@cache.svc:6380/2' })), 'rediss://cache.svc:6380/2');
  assert.equal(redis.target(redis.spec.parse({ url: 'redis://[::1]', username: 'mon' })), 'redis://mon@[::1]:6379/0');
  assert.deepEqual(redis.defaultExpect, ['connected']);
});

// Last: it stops the pair's primary.
test('a replica whose primary stopped: link down, lag null', async () => {
  await pair.primary.stop();
  await waitForLinkDown(pair.replica);
  const { observed: seen, summary } = await observed({ url: pair.replica.url() });
  assert.deepEqual(seen.replication, { linkUp: false, lag: null, replicas: 0 });
  assert.equal(summary, 'replica, link down');
  assert.ok(holds('!replication.linkUp', seen));
  assert.equal(holds('replication.lag < 2s', seen), false);
});
