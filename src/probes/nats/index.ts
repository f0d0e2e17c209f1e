import { z } from '../../zod.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe } from '../types.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { serverOf, targetOf } from './endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const SERVER = /^((nats|tls):\/\/)?[^\s/?#]+$/i;
/** JetStream names: no whitespace, `.`, `*`, `>`, path separators (nats-server's own rule). */
const NAME = /^[^\s.*>/\\]{1,255}$/;
const SUBJECT = /^[^\s*>]+$/;

const spec = () => z.strictObject({
  servers: z.meta(z.array(z.string().check(z.regex(SERVER, 'must be host[:port], nats://host[:port] or tls://host[:port]'))).check(z.minLength(1, 'needs at least one server')),
    { description: 'servers tried in order until one answers, e.g. [nats://nats-0.nats:4222, nats://nats-1.nats:4222]; tls:// requires TLS' }),
  user: z.meta(z.optional(z.string().check(z.minLength(1))), { description: 'user name (with password)' }),
  password: z.meta(z.optional(z.string()),
    { description: 'the user\'s password; write ${env:…} or ${file:…} so it is kept secret' }),
  token: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'an authorization token; write ${env:…} or ${file:…}' }),
  creds: z.meta(z.optional(z.string().check(z.minLength(1))),
    { description: 'a .creds file (user JWT and nkey seed): its text via ${file:…}, or its path' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'TLS: ca (PEM text or file path), insecure, serverName; given, TLS is required' }),
  stream: z.meta(z.optional(z.string().check(z.regex(NAME, 'must be a JetStream stream name'))),
    { description: 'a JetStream stream to observe: stream.*, cluster.leader, cluster.replicas' }),
  consumer: z.meta(z.optional(z.string().check(z.regex(NAME, 'must be a JetStream consumer name'))),
    { description: 'a durable consumer of `stream` to observe: consumer.pending, ackPending, redelivered, waiting' }),
  writeCheck: z.meta(z.optional(z.union([z.boolean(), z.strictObject({ subject: z.meta(z.string().check(z.regex(SUBJECT, 'must be a subject without wildcards')),
  { description: 'the canary subject; `stream` must capture it' }) })])), { description: 'publish to a canary subject (default syncproof.canary.<suite>) of `stream`, wait for its PubAck, read it back and delete it; observes `writable`' }),
}).check(z.superRefine((s, ctx) => {
  if (s.password !== undefined && s.user === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: '`password` needs a `user`' });
  const ways = (['user', 'token', 'creds'] as const).filter((k) => s[k] !== undefined);
  if (ways.length > 1) ctx.addIssue({ code: 'custom', path: [ways[1]!], message: `give one of user/password, token, creds (not ${ways.join(' and ')})` });
  if (s.consumer !== undefined && s.stream === undefined) ctx.addIssue({ code: 'custom', path: ['consumer'], message: '`consumer` needs a `stream`' });
  if (s.writeCheck && s.stream === undefined) ctx.addIssue({ code: 'custom', path: ['writeCheck'], message: '`writeCheck` needs a `stream` that captures the canary subject' });
}, afterKeyChecks));

export type NatsSpec = z.output<ReturnType<typeof spec>>;

export const nats = defineProbe({
  type: 'nats',
  spec,
  fields: {
    connected: 'boolean', rtt: 'duration', server: 'object', 'server.version': 'string', writable: 'boolean',
    stream: 'object', 'stream.messages': 'number', 'stream.bytes': 'number', 'stream.consumers': 'number',
    cluster: 'object', 'cluster.leader': 'string', 'cluster.replicas': 'list',
    consumer: 'object', 'consumer.pending': 'number', 'consumer.ackPending': 'number', 'consumer.redelivered': 'number', 'consumer.waiting': 'number',
  },
  defaultExpect: ['connected'],
  hosts: (s) => s.servers.map((text) => serverOf(text).host),
  insecure: insecureTls,
  target: (s) => targetOf(s),
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.nats);
    await import('@nats-io/transport-node'); await import('@nats-io/jetstream');
    return (await import('../observers.ts')).nats;
  },
});
