import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { DNS_RECORD_TYPES } from './query.ts';
import { parseDnsServer } from './server.ts';

export { DNS_RECORD_TYPES } from './query.ts';

const spec = () => z.strictObject({
  // Not `name`: every probe's `name` is already its unique name in the suite (the same YAML map cannot
  // hold both), so the question's name is `query` (docs/probes/dns.md).
  query: z.meta(z.string().check(z.minLength(1)),
    { description: 'the name to ask for; a trailing dot (example.com.) means exactly that name, no search domains' }),
  record: z.meta(z.default(z.enum(DNS_RECORD_TYPES), 'A'), { description: 'record type to ask for; default A' }),
  server: z.meta(z.optional(z.string().check(
    z.minLength(1),
    z.refine((text) => parseDnsServer(text) !== undefined, 'must be host, host:port or [IPv6]:port (port 1-65535)'),
  )), { description: 'host, host:port, [IPv6]:port or a bare IPv6 address (port 53 when left out), asked the name as written; default: the system resolver' }),
});

export type DnsSpec = z.output<ReturnType<typeof spec>>;

export const dns = defineProbe({
  type: 'dns',
  spec,
  fields: { rcode: 'string', records: 'list' },
  defaultExpect: ['rcode == "NOERROR"', 'records.length > 0'],
  // Without `server` the system's resolvers are asked by address (resolv.conf), never by name.
  hosts: (s) => (s.server === undefined ? [] : [parseDnsServer(s.server)?.host ?? s.server]),
  insecure: () => false,
  target: (s) => `dns://${s.server ?? 'system'}/${s.query}?${s.record}`,
  load: async () => (await import('../observers.ts')).dns,
});
