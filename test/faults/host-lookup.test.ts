// src/process/host-lookup.ts: lookups through the helper process answer exactly as Node's in-process
// dns.lookup does (addresses, order, families, error codes), through every way the run's code asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { lookup as promisedLookup } from 'node:dns/promises';
import net from 'node:net';
import { promisify } from 'node:util';

const inProcess = dns.lookup;
const inProcessAll = (host: string, options: dns.LookupOptions) =>
  new Promise<{ code?: string; addresses?: dns.LookupAddress[] }>((resolve) => {
    inProcess(host, { ...options, all: true }, (error, addresses) => resolve(error ? { code: error.code } : { addresses }));
  });

const { installHostLookup } = await import('../../src/process/host-lookup.ts');
installHostLookup();

const HOSTS = ['localhost', 'ip6-localhost', 'no-such-host.invalid.', '127.0.0.1', '::1'];

test('the helper answers as the in-process lookup does, for each family, with and without `all`', async () => {
  assert.notEqual(dns.lookup, inProcess, 'installed');
  for (const host of HOSTS) {
    for (const family of [0, 4, 6] as const) {
      const expected = await inProcessAll(host, { family });
      const all = await new Promise<{ code?: string; addresses?: dns.LookupAddress[] }>((resolve) => {
        dns.lookup(host, { family, all: true }, (error, addresses) => resolve(error ? { code: error.code } : { addresses }));
      });
      assert.deepEqual(all, expected, `${host} family ${family}`);
      const one = await new Promise<{ code?: string; address?: string; family?: number }>((resolve) => {
        dns.lookup(host, family, (error, address, fam) => resolve(error ? { code: error.code } : { address, family: fam }));
      });
      assert.deepEqual(one, expected.code ? { code: expected.code } : { address: expected.addresses![0]!.address, family: expected.addresses![0]!.family });
    }
  }
});

test('a failed lookup is an error as Node makes it: code, syscall, hostname', async () => {
  const error = await promisify(dns.lookup)('no-such-host.invalid.').then(() => undefined, (e: NodeJS.ErrnoException & { hostname?: string }) => e);
  assert.ok(error instanceof Error);
  // ENOTFOUND where DNS answers NXDOMAIN; whatever it is here, the same as in process.
  assert.equal(error.code, (await inProcessAll('no-such-host.invalid.', {})).code);
  assert.match(error.code ?? '', /^(ENOTFOUND|EAI_AGAIN|EAI_FAIL)$/);
  assert.equal(error.syscall, 'getaddrinfo');
  assert.equal(error.hostname, 'no-such-host.invalid.');
});

test('dns/promises (also a named import made before the install) and net.connect go through the helper', async () => {
  assert.equal(promisedLookup, dns.promises.lookup, 'the live binding sees the replacement');
  assert.deepEqual(await promisedLookup('localhost', { family: 4 }), { address: '127.0.0.1', family: 4 });
  assert.deepEqual(await dns.promises.lookup('localhost', { all: true }), (await inProcessAll('localhost', {})).addresses);
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let asked = 0;
  const counting = dns.lookup;
  dns.lookup = ((...args: Parameters<typeof counting>) => { asked++; return (counting as (...a: unknown[]) => void)(...args); }) as typeof dns.lookup;
  try {
    await new Promise<void>((resolve, reject) => net.connect({ host: 'localhost', port, family: 4 }).on('connect', function (this: net.Socket) { this.destroy(); resolve(); }).on('error', reject));
  } finally {
    dns.lookup = counting;
    server.close();
  }
  assert.equal(asked, 1, 'net.connect asked the installed lookup');
});
