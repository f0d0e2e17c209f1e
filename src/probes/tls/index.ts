import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { hostPort, unbracket } from '../../net/address.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const spec = () => z.strictObject({
  host: z.meta(z.string().check(z.minLength(1)), { description: 'host name, IPv4 or IPv6 address' }),
  port: z.meta(z.default(z.number().check(z.int(), z.gte(1), z.lte(65535)), 443),
    { description: 'TCP port, 1-65535; default 443' }),
  serverName: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'SNI sent in the handshake and the name the certificate must match; default: host (none for an IP address)' }),
  ca: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: "PEM text (e.g. ${file:/etc/ca/ca.crt}) or the path of a PEM file of at most 1 MiB; replaces the system's trusted CAs" }),
  insecure: z.meta(z.optional(z.boolean()),
    { description: 'changes nothing: the tls probe observes an invalid certificate (authorized: false) rather than refusing it' }),
});

export type TlsSpec = z.output<ReturnType<typeof spec>>;

export const tls = defineProbe({
  type: 'tls',
  spec,
  fields: {
    authorized: 'boolean', expiresIn: 'duration', issuer: 'string', subject: 'string',
    altNames: 'list', protocol: 'string',
  },
  defaultExpect: ['authorized'],
  hosts: (s) => [unbracket(s.host)],
  insecure: (s) => s.insecure === true,
  target: (s) => `tls://${hostPort(unbracket(s.host), s.port)}${s.serverName ? ` (${s.serverName})` : ''}`,
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.tls);
    await import('node:tls');
    return (await import('../observers.ts')).tls;
  },
});
