import { z } from '../../zod.ts';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe } from '../types.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { endpointOf, targetOf } from './endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^amqps?:\/\/\S*$/i, 'must be an amqp:// or amqps:// URL'),
    z.refine((text) => URL.canParse(text), 'is not a valid URL'),
    z.refine(urlPartsDecodable, MALFORMED_ESCAPE),
  ), { description: 'amqp://[user[:password]@]host[:port][/vhost] (vhost percent-encoded, %2F for "/", the default), amqps:// for TLS' }),
  password: z.meta(z.optional(z.string()),
    { description: 'overrides the url\'s password; write ${env:…} or ${file:…} so it is kept secret' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'amqps:// only: ca (PEM text or file path), insecure, serverName' }),
  queue: z.meta(z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
    { description: 'a queue to observe (passively: nothing is created): queue.exists, queue.messages (ready), queue.consumers' }),
  writeCheck: z.meta(z.optional(z.boolean()),
    { description: 'publish a persistent message with publisher confirms to the probe\'s own canary queue syncproof.canary.<suite> (auto-expiring) and get it back; observes `writable`' }),
}).check(z.superRefine((s, ctx) => {
  if (s.tls !== undefined && !/^amqps:/i.test(s.url)) ctx.addIssue({ code: 'custom', message: '`tls` needs an amqps:// url', path: ['tls'] });
}, afterKeyChecks));

export type RabbitSpec = z.output<ReturnType<typeof spec>>;

export const rabbitmq = defineProbe({
  type: 'rabbitmq',
  spec,
  fields: {
    connected: 'boolean', server: 'object', 'server.version': 'string', writable: 'boolean',
    queue: 'object', 'queue.exists': 'boolean', 'queue.messages': 'number', 'queue.consumers': 'number',
  },
  defaultExpect: ['connected'],
  hosts: (s) => [endpointOf(s).host],
  insecure: insecureTls,
  target: (s) => targetOf(s),
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.amqplib);
    await import('amqplib');
    return (await import('../observers.ts')).rabbitmq;
  },
});
