// One DNS question through a c-ares Resolver, as an rcode and records written as strings.
import type { Resolver } from 'node:dns/promises';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'SRV', 'TXT'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** The server answered (any rcode), or the question failed without an answer (timeout, refused…). */
export type DnsAnswer =
  | { readonly answered: true; readonly rcode: string; readonly records: readonly string[] }
  | { readonly answered: false; readonly code: string | undefined; readonly error: unknown };

/** c-ares reports a server's negative answer as an error code; these are answers, not failures. */
const RCODE_BY_ARES_CODE: Readonly<Record<string, string>> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ENOTIMP: 'NOTIMP',
  EFORMERR: 'FORMERR',
};

export async function ask(resolver: Resolver, name: string, record: DnsRecordType): Promise<DnsAnswer> {
  try {
    return { answered: true, rcode: 'NOERROR', records: await recordsOf(resolver, name, record) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const known = typeof code === 'string' ? code : undefined;
    const rcode = known ? RCODE_BY_ARES_CODE[known] : undefined;
    return rcode ? { answered: true, rcode, records: [] } : { answered: false, code: known, error };
  }
}

async function recordsOf(resolver: Resolver, name: string, record: DnsRecordType): Promise<string[]> {
  switch (record) {
    case 'A': return resolver.resolve4(name);
    case 'AAAA': return resolver.resolve6(name);
    case 'CNAME': return resolver.resolveCname(name);
    case 'NS': return resolver.resolveNs(name);
    case 'MX': return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'SRV': return (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`);
    case 'TXT': return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

