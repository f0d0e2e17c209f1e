// One workload, four renderings: a syncproof suite, the raw client's job list, Nagios command lines
// and blackbox_exporter /probe requests. Equal parts of the six kinds, interleaved.
import type { Targets } from './targets.ts';
import { DNS_NAME } from './targets.ts';

export const KINDS = ['http', 'tcp', 'dns', 'postgres', 'mysql', 'redis'] as const;
export type Kind = (typeof KINDS)[number];
/** The subset blackbox_exporter can probe. */
export const NETWORK_KINDS: readonly Kind[] = ['http', 'tcp', 'dns'];

/** The same concurrency for every contender: syncproof's default. */
export const CONCURRENCY = 8;

export function workload(size: number, kinds: readonly Kind[] = KINDS): Kind[] {
  return Array.from({ length: size }, (_, i) => kinds[i % kinds.length]!);
}

/**
 * The syncproof suite: default expectations, one attempt each (a failing probe is a failed benchmark run).
 * `host: 'localhost'` names the targets (but the DNS server) by name, so every connection is looked up.
 */
export function suiteYaml(jobs: readonly Kind[], t: Targets, host = '127.0.0.1'): string {
  const at = (url: string) => url.replace('127.0.0.1', host);
  const probe = (kind: Kind, i: number): string => {
    const head = `  - name: ${kind}-${i}\n    type: ${kind}\n`;
    switch (kind) {
      case 'http': return `${head}    url: ${at(t.http.url)}\n`;
      case 'tcp': return `${head}    host: ${host}\n    port: ${t.tcp.port}\n`;
      case 'dns': return `${head}    query: ${DNS_NAME}\n    server: ${t.dns.host}\n`;
      case 'postgres': return `${head}    url: ${at(t.postgres.url)}\n`;
      case 'mysql': return `${head}    url: mysql://${t.mysql.user}@${host}:${t.mysql.port}/${t.mysql.database}\n    password: \${env:BENCH_MYSQL_PASSWORD}\n`;
      case 'redis': return `${head}    url: ${at(t.redis.url)}\n`;
    }
  };
  return `suite: bench\nconcurrency: ${CONCURRENCY}\ndefaults:\n  within: 0s\nprobes:\n${jobs.map(probe).join('')}`;
}

/** One Nagios plugin command line per probe. Redis has no Debian plugin: check_tcp sends PING and expects +PONG. */
export function nagiosCommand(kind: Kind, t: Targets): string[] {
  const dir = '/usr/lib/nagios/plugins';
  switch (kind) {
    case 'http': return [`${dir}/check_http`, '-H', '127.0.0.1', '-p', String(t.http.port), '-u', '/'];
    case 'tcp': return [`${dir}/check_tcp`, '-H', '127.0.0.1', '-p', String(t.tcp.port)];
    case 'dns': return [`${dir}/check_dns`, '-H', DNS_NAME, '-s', t.dns.host];
    case 'postgres': return [`${dir}/check_pgsql`, '-H', '127.0.0.1', '-P', String(t.postgres.port), '-l', t.postgres.user, '-d', t.postgres.database];
    case 'mysql': return [`${dir}/check_mysql`, '-H', '127.0.0.1', '-P', String(t.mysql.port), '-u', t.mysql.user, '-p', t.mysql.password, '-d', t.mysql.database];
    case 'redis': return [`${dir}/check_tcp`, '-H', '127.0.0.1', '-p', String(t.redis.port), '-E', '-s', 'PING\\r\\n', '-e', '+PONG'];
  }
}

/** blackbox_exporter's modules, one per network kind. */
export function blackboxConfig(): string {
  return `modules:
  http:
    prober: http
    timeout: 5s
    http: { preferred_ip_protocol: ip4, ip_protocol_fallback: false }
  tcp:
    prober: tcp
    timeout: 5s
    tcp: { preferred_ip_protocol: ip4, ip_protocol_fallback: false }
  dns:
    prober: dns
    timeout: 5s
    dns: { query_name: ${DNS_NAME}, query_type: A, transport_protocol: udp, preferred_ip_protocol: ip4, ip_protocol_fallback: false, valid_rcodes: [NOERROR] }
`;
}

export function blackboxTarget(kind: Kind, t: Targets): string {
  switch (kind) {
    case 'http': return t.http.url;
    case 'tcp': return `127.0.0.1:${t.tcp.port}`;
    case 'dns': return `${t.dns.host}:53`;
    default: throw new Error(`blackbox_exporter does not probe ${kind} here`);
  }
}
