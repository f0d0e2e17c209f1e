import { z } from 'zod';
import { defineProbe } from './types.ts';

const spec = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(443),
  serverName: z.string().optional(),
  ca: z.string().optional(),
  insecure: z.boolean().optional(),
});

export const tls = defineProbe({
  type: 'tls',
  spec,
  fields: {
    authorized: 'boolean', expiresIn: 'duration', issuer: 'string', subject: 'string',
    altNames: 'list', protocol: 'string',
  },
  defaultExpect: ['authorized'],
  target: (s) => `tls://${s.host}:${s.port}${s.serverName ? ` (${s.serverName})` : ''}`,
  observe: async () => ({ ok: false, error: 'not implemented yet' }),
});
