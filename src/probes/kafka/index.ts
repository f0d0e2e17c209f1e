import { z } from '../../zod.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe } from '../types.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { brokersOf, targetOf } from './endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const BROKER = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]@]+)(:\d{1,5})?$/;
/** Kafka's own rule for topic names; group ids may hold anything but must not be empty. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

const spec = () => z.strictObject({
  brokers: z.meta(z.array(z.string().check(z.regex(BROKER, 'must be host[:port], e.g. kafka-0.kafka:9092'))).check(z.minLength(1, 'needs at least one broker')),
    { description: 'bootstrap brokers, host[:port] (port 9092), e.g. [kafka-0.kafka:9092, kafka-1.kafka:9092]' }),
  sasl: z.meta(z.optional(z.strictObject({
    mechanism: z.meta(z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
      { description: 'the SASL mechanism the listener offers' }),
    username: z.meta(z.string().check(z.minLength(1)), { description: 'the SASL user' }),
    password: z.meta(z.string(), { description: 'the SASL password; write ${env:…} or ${file:…} so it is kept secret' }),
  })), { description: 'SASL authentication: mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), username, password' }),
  tls: z.meta(z.optional(tlsOptions()), { description: 'speak TLS: ca (PEM text or file path), insecure, serverName' }),
  group: z.meta(z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
    { description: 'a consumer group to observe: lag, lagMax, members, state' }),
  topic: z.meta(z.optional(z.string().check(z.regex(TOPIC, 'must be a Kafka topic name'))),
    { description: 'count the group\'s lag on this topic only (every partition of it); needs `group`' }),
}).check(z.superRefine((s, ctx) => {
  if (s.topic !== undefined && s.group === undefined) ctx.addIssue({ code: 'custom', path: ['topic'], message: '`topic` needs a `group`' });
}, afterKeyChecks));

export type KafkaSpec = z.output<ReturnType<typeof spec>>;

export const kafka = defineProbe({
  type: 'kafka',
  spec,
  fields: { connected: 'boolean', brokers: 'number', lag: 'number', lagMax: 'number', members: 'number', state: 'string' },
  defaultExpect: ['connected'],
  hosts: (s) => brokersOf(s).map((broker) => broker.host),
  insecure: insecureTls,
  target: (s) => targetOf(s),
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.kafka);
    await import('@platformatic/kafka');
    return (await import('../observers.ts')).kafka;
  },
});
