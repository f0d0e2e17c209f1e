import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { hostPort, unbracket } from '../../net/address.ts';

const spec = () => z.strictObject({
  host: z.meta(z.string().check(z.minLength(1)),
    { description: 'host name (system resolver, search domains included), IPv4 or IPv6 address' }),
  port: z.meta(z.number().check(z.int(), z.gte(1), z.lte(65535)), { description: 'TCP port, 1-65535' }),
});

export type TcpSpec = z.output<ReturnType<typeof spec>>;

export const tcp = defineProbe({
  type: 'tcp',
  spec,
  fields: { connected: 'boolean' },
  defaultExpect: ['connected'],
  hosts: (s) => [unbracket(s.host)],
  insecure: () => false,
  target: (s) => `tcp://${hostPort(unbracket(s.host), s.port)}`,
  load: async () => (await import('../observers.ts')).tcp,
});
