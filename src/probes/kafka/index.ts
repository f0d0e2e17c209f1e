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
  brokers: z.array(z.string().regex(BROKER, 'must be host[:port], e.g. kafka-0.kafka:9092')).min(1, 'needs at least one broker')
    .describe('bootstrap brokers, host[:port] (port 9092), e.g. [kafka-0.kafka:9092, kafka-1.kafka:9092]'),
  sasl: z.strictObject({
    mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).describe('the SASL mechanism the listener offers'),
    username: z.string().min(1).describe('the SASL user'),
    password: z.string().describe('the SASL password; write ${env:…} or ${file:…} so it is kept secret'),
  }).optional().describe('SASL authentication: mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), username, password'),
  tls: tlsOptions().optional().describe('speak TLS: ca (PEM text or file path), insecure, serverName'),
  group: z.string().min(1).max(255).optional().describe('a consumer group to observe: lag, lagMax, members, state'),
  topic: z.string().regex(TOPIC, 'must be a Kafka topic name').optional().describe('count the group\'s lag on this topic only (every partition of it); needs `group`'),
}).superRefine((s, ctx) => {
  if (s.topic !== undefined && s.group === undefined) ctx.addIssue({ code: 'custom', path: ['topic'], message: '`topic` needs a `group`' });
}, afterKeyChecks);

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
