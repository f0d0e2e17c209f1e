// Fault matrix, DNS and TLS rows: SERVFAIL, a silent resolver, NXDOMAIN; expired, self-signed and
// wrong-host certificates; TLS spoken to a plaintext port.
import { after, before, describe, test } from 'node:test';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { startDnsmasq, silentDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';
import { assertRunGuarantees, row, runFault, STARTUP_MS } from './harness.ts';

const ONCE = 'defaults:\n  within: 0s\n  timeout: 1s\n';
const ONE_ATTEMPT = { maxMs: 2000 };
const FAILED_RUN = { code: 1, verdict: 'failed', withinMs: 1000 + STARTUP_MS + 2000 } as const;

describe('dns and tls faults', { concurrency: true }, () => {
  let dns: DnsServer;
  let certs: TestCerts;
  before(async () => { [dns, certs] = await Promise.all([startDnsmasq(), makeCerts()]); });
  after(async () => { await Promise.all([dns?.stop(), certs?.remove()]); });

  test('DNS SERVFAIL and NXDOMAIN are observed; the default expectations fail on them', async (t) => {
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: servfail, type: dns, query: x.broken.test, server: "${dns.address}" }
  - { name: nxdomain, type: dns, query: gone.test, server: "${dns.address}" }` });
    assertRunGuarantees(run, FAILED_RUN);
    row('DNS SERVFAIL', run, 'servfail', { verdict: 'failed', reason: /^rcode = "SERVFAIL" \(expected == "NOERROR"\)/, ...ONE_ATTEMPT });
    row('DNS NXDOMAIN', run, 'nxdomain', { verdict: 'failed', reason: /^rcode = "NXDOMAIN" \(expected == "NOERROR"\)/, ...ONE_ATTEMPT });
  });

  test('DNS timeout: a resolver that never answers', async (t) => {
    const silent = await silentDnsServer();
    t.after(() => silent.close());
    const run = await runFault(t, { suite: `${ONCE}probes:\n  - { name: silent, type: dns, query: www.test, server: "${silent.address}" }` });
    assertRunGuarantees(run, FAILED_RUN);
    row('DNS timeout', run, 'silent', { verdict: 'failed', reason: /^timeout after 1s$/, ...ONE_ATTEMPT });
  });

  test('TLS: expired, self-signed, wrong host (tls and http probes)', async (t) => {
    const servers: Record<string, TestServer> = {};
    for (const kind of ['expired', 'selfSigned', 'wrongHost'] as const) servers[kind] = await startHttpServer({ tls: certs[kind] });
    t.after(() => Promise.all(Object.values(servers).map((s) => s.close())));
    const probes = Object.entries(servers).map(([kind, s]) => `
  - { name: tls ${kind}, type: tls, host: localhost, port: ${s.port}, ca: "${certs.caPath}" }
  - { name: http ${kind}, type: http, url: "${s.url}/json", tls: { ca: "${certs.caPath}" } }`).join('');
    const run = await runFault(t, { suite: `${ONCE}probes:${probes}` });
    assertRunGuarantees(run, FAILED_RUN);
    const cases = [
      ['expired', 'expired certificate', 'certificate has expired'],
      ['selfSigned', 'self-signed certificate', 'self-signed certificate'],
      ['wrongHost', 'certificate for the wrong host', 'certificate does not match host name'],
    ] as const;
    for (const [kind, fault, reason] of cases) {
      row(`TLS ${fault}`, run, `tls ${kind}`, { verdict: 'failed', reason: new RegExp(`^authorized = false \\(expected true\\) \\(certificate not verified: ${reason}\\)$`), ...ONE_ATTEMPT });
      row(`TLS ${fault}`, run, `http ${kind}`, { verdict: 'failed', reason: new RegExp(`^${reason} \\(localhost:${servers[kind]?.port}\\)$`), ...ONE_ATTEMPT });
    }
  });

  test('TLS spoken to a plaintext port', async (t) => {
    const plain = await startHttpServer();
    t.after(() => plain.close());
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: tls, type: tls, host: 127.0.0.1, port: ${plain.port} }
  - { name: https, type: http, url: "https://127.0.0.1:${plain.port}/json" }` });
    assertRunGuarantees(run, FAILED_RUN);
    row('TLS to a plaintext port', run, 'tls', { verdict: 'failed', reason: /^TLS handshake failed \(is the port speaking TLS\?\) \(127\.0\.0\.1:\d+\)$/, ...ONE_ATTEMPT });
    row('TLS to a plaintext port', run, 'https', { verdict: 'failed', reason: /^TLS handshake failed \(is the port speaking TLS\?\) \(127\.0\.0\.1:\d+\)$/, ...ONE_ATTEMPT });
  });
});
