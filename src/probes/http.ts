import { z } from 'zod';
import { defineProbe } from './types.ts';
import { tlsOptions } from './tls-options.ts';

const spec = z.strictObject({
  url: z.string().regex(/^https?:\/\//i, 'must be an http:// or https:// URL'),
  method: z.string().regex(/^[A-Za-z]+$/).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  followRedirects: z.boolean().default(true),
  tls: tlsOptions.optional(),
});

export const http = defineProbe({
  type: 'http',
  spec,
  fields: {
    status: 'number', headers: 'any', body: 'string', json: 'any', tls: 'object',
    'tls.authorized': 'boolean', 'tls.expiresIn': 'duration', 'tls.issuer': 'string', 'tls.subject': 'string',
  },
  defaultExpect: ['status >= 200', 'status < 300'],
  target: (s) => `${s.method} ${s.url}`,
  observe: async () => ({ ok: false, error: 'not implemented yet' }),
});
