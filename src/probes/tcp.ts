import { z } from 'zod';
import { defineProbe } from './types.ts';

const spec = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});

export const tcp = defineProbe({
  type: 'tcp',
  spec,
  fields: { connected: 'boolean' },
  defaultExpect: ['connected'],
  target: (s) => `tcp://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`,
  observe: async () => ({ ok: false, error: 'not implemented yet' }),
});
