import { z } from 'zod';
import { defineProbe } from './types.ts';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'SRV', 'TXT'] as const;

const spec = z.strictObject({
  name: z.string().min(1),
  record: z.enum(DNS_RECORD_TYPES).default('A'),
  /** host[:port]; `[v6]:port` for IPv6. Default: the system resolver. */
  server: z.string().min(1).optional(),
});

export const dns = defineProbe({
  type: 'dns',
  spec,
  fields: { rcode: 'string', records: 'list' },
  defaultExpect: ['rcode == "NOERROR"', 'records.length > 0'],
  target: (s) => `dns://${s.server ?? 'system'}/${s.name}?${s.record}`,
  observe: async () => ({ ok: false, error: 'not implemented yet' }),
});
