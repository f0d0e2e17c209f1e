import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { dns } from '../../src/probes/dns/index.ts';
import { parseDnsServer } from '../../src/probes/dns/server.ts';
import { askInTurn, candidateNames, MAX_RESOLV_CONF_BYTES, NO_SEARCH, parseResolvConf, systemSearchConfig } from '../../src/probes/dns/search.ts';
import { tempFiles } from '../support/cli.ts';
import type { AttemptContext, Observation } from '../../src/probes/types.ts';
import { silentDnsServer, startDnsmasq, type DnsServer } from '../support/dns-server.ts';
import { refusedPort } from '../support/net.ts';

const observeDns = await dns.load();

let server: DnsServer;
before(async () => { server = await startDnsmasq(); });
after(async () => { await server?.stop(); });

function context(timeoutMs = 2000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

async function observe(input: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observeDns(dns.spec.parse({ server: server.address, ...input }), ctx);
}

async function answer(input: Record<string, unknown>): Promise<{ rcode: unknown; records: unknown; summary: string }> {
  const result = await observe(input);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return { rcode: result.observed.rcode, records: result.observed.records, summary: result.summary };
}

const sorted = (value: unknown): unknown => (Array.isArray(value) ? [...value].sort() : value);

test('A records, default record type', async () => {
  const a = await answer({ query: 'www.test' });
  assert.equal(a.rcode, 'NOERROR');
  assert.deepEqual(sorted(a.records), ['127.0.0.10', '127.0.0.11']);
  assert.equal(a.summary, 'NOERROR, 2 records');
});

test('AAAA, CNAME, MX, NS, SRV and TXT records as strings', async () => {
  assert.deepEqual((await answer({ query: 'www.test', record: 'AAAA' })).records, ['fd00::10']);
  assert.deepEqual((await answer({ query: 'alias.test', record: 'CNAME' })).records, ['www.test']);
  assert.deepEqual(sorted((await answer({ query: 'test', record: 'MX' })).records), ['10 mail.test', '20 backup-mail.test']);
  assert.deepEqual((await answer({ query: 'test', record: 'NS' })).records, ['ns1.test']);
  assert.deepEqual((await answer({ query: '_http._tcp.test', record: 'SRV' })).records, ['10 5 8080 www.test']);
  const txt = await answer({ query: 'txt.test', record: 'TXT' });
  assert.deepEqual(txt.records, ['v=spf1 ip4:10.0.0.0/8 -all']);
  assert.equal(txt.summary, 'NOERROR, 1 record');
});

test('an A question for a CNAME follows it to the addresses', async () => {
  assert.deepEqual(sorted((await answer({ query: 'alias.test' })).records), ['127.0.0.10', '127.0.0.11']);
});

test('NXDOMAIN, an empty answer, SERVFAIL and REFUSED are observations, not attempt errors', async () => {
  assert.deepEqual(await answer({ query: 'missing.test' }), { rcode: 'NXDOMAIN', records: [], summary: 'NXDOMAIN' });
  assert.deepEqual(await answer({ query: 'www.test', record: 'MX' }), { rcode: 'NOERROR', records: [], summary: 'NOERROR, 0 records' });
  assert.equal((await answer({ query: 'api.broken.test' })).rcode, 'SERVFAIL');
  assert.equal((await answer({ query: 'example.com' })).rcode, 'REFUSED');
});

test('an abort cancels the question at once', async (t) => {
  const silent = await silentDnsServer();
  t.after(() => silent.close());
  const controller = new AbortController();
  const started = Date.now();
  const pending = observe({ query: 'www.test', server: silent.address }, context(10_000, controller.signal));
  setTimeout(() => controller.abort(), 100);
  assert.deepEqual(await pending, { ok: false, error: 'timeout after 10s' });
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started}ms`);
});

test('a server on a closed port is an attempt error naming it', async () => {
  const port = await refusedPort();
  const result = await observe({ query: 'www.test', server: `127.0.0.1:${port}` });
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.endsWith(`(127.0.0.1:${port})`), JSON.stringify(result));
});

test('a server given by host name is looked up first', async () => {
  const a = await answer({ query: 'www.test', server: `localhost:${server.port}` });
  assert.equal(a.rcode, 'NOERROR');
  const missing = await observe({ query: 'www.test', server: 'no-such-server.invalid' });
  assert.deepEqual(missing, { ok: false, error: 'host not found (no-such-server.invalid:53)' });
});

test('server is host, host:port, [v6]:port or a bare IPv6 address', () => {
  assert.deepEqual(parseDnsServer('10.0.0.10'), { host: '10.0.0.10', port: 53 });
  assert.deepEqual(parseDnsServer('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseDnsServer('kube-dns.kube-system.svc:53'), { host: 'kube-dns.kube-system.svc', port: 53 });
  assert.deepEqual(parseDnsServer('[fd00::10]:5353'), { host: 'fd00::10', port: 5353 });
  assert.deepEqual(parseDnsServer('fd00::10'), { host: 'fd00::10', port: 53 });
  for (const bad of ['127.0.0.1:0', '127.0.0.1:70000', '[nope]:53', 'a b', 'host:']) {
    assert.equal(parseDnsServer(bad), undefined, bad);
    assert.equal(dns.spec.safeParse({ query: 'x', server: bad }).success, false, bad);
  }
});

test('the system search list: resolv.conf parsing and candidate order', () => {
  const k8s = parseResolvConf('nameserver 10.96.0.10\nsearch orders.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 # pods\n');
  assert.deepEqual(k8s, { search: ['orders.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 });
  assert.deepEqual(candidateNames('db.orders.svc', k8s).slice(-2), ['db.orders.svc.cluster.local', 'db.orders.svc']);
  assert.deepEqual(candidateNames('example.com.', k8s), ['example.com.']);
  assert.deepEqual(candidateNames('a.b.c.d.e.f', k8s)[0], 'a.b.c.d.e.f');
  assert.deepEqual(parseResolvConf('domain a.example\nsearch b.example\n').search, ['b.example']);
});

test('resolv.conf is read as a bounded regular file: a FIFO, a device or an oversized file gives no search list, at once', async (t) => {
  const files = tempFiles({ 'resolv.conf': 'search orders.svc.cluster.local\noptions ndots:5\n', 'big.conf': `search a.example\n${'#'.repeat(MAX_RESOLV_CONF_BYTES)}\n` });
  t.after(() => files.cleanup());
  execFileSync('mkfifo', [files.path('fifo.conf')]);
  assert.deepEqual(await systemSearchConfig(files.path('resolv.conf')), { search: ['orders.svc.cluster.local'], ndots: 5 });
  const started = Date.now();
  for (const path of [files.path('fifo.conf'), '/dev/zero', files.path('big.conf'), files.path('missing.conf')]) {
    assert.deepEqual(await systemSearchConfig(path), NO_SEARCH, path);
  }
  assert.ok(Date.now() - started < 2000, 'a FIFO is not waited on');
});

test('search domains are tried in turn until one has records', async () => {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([server.address]);
  const config = { search: ['nowhere.test', 'cluster.test'], ndots: 5 };
  const found = await askInTurn(resolver, 'db.orders', 'A', config);
  assert.equal(found.name, 'db.orders.cluster.test');
  assert.deepEqual(found.answer, { answered: true, rcode: 'NOERROR', records: ['127.0.0.20'] });
  const none = await askInTurn(resolver, 'nothing.test', 'A', config);
  assert.equal(none.name, 'nothing.test');
  assert.equal(none.answer.answered && none.answer.rcode, 'NXDOMAIN');
});
