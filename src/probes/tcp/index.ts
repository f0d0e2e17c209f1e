import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { hostPort, unbracket } from '../../net/address.ts';

const spec = () => z.strictObject({
  host: z.string().min(1).meta({ description: 'host name (system resolver, search domains included), IPv4 or IPv6 address' }),
  port: z.number().int().min(1).max(65535).meta({ description: 'TCP port, 1-65535' }),
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
