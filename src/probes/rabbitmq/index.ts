import { z } from 'zod';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe, type AttemptContext, type Observation, type Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { writeWaitMs } from '../database.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { describeRabbitError, endpointOf, openClient, targetOf } from './connect.ts';
import { describeState, readState, serverVersion } from './state.ts';
import { canaryQueue, checkWrite } from './write.ts';

const spec = z.strictObject({
  url: z.string().regex(/^amqps?:\/\/\S*$/i, 'must be an amqp:// or amqps:// URL')
    .refine((text) => URL.canParse(text), 'is not a valid URL')
    .refine(urlPartsDecodable, MALFORMED_ESCAPE)
    .describe('amqp://[user[:password]@]host[:port][/vhost] (vhost percent-encoded, %2F for "/", the default), amqps:// for TLS'),
  password: z.string().optional().describe('overrides the url\'s password; write ${env:…} or ${file:…} so it is kept secret'),
  tls: tlsOptions.optional().describe('amqps:// only: ca (PEM text or file path), insecure, serverName'),
  queue: z.string().min(1).max(255).optional().describe('a queue to observe (passively: nothing is created): queue.exists, queue.messages (ready), queue.consumers'),
  writeCheck: z.boolean().optional().describe('publish a persistent message with publisher confirms to the probe\'s own canary queue syncproof.canary.<suite> (auto-expiring) and get it back; observes `writable`'),
}).superRefine((s, ctx) => {
  if (s.tls !== undefined && !/^amqps:/i.test(s.url)) ctx.addIssue({ code: 'custom', message: '`tls` needs an amqps:// url', path: ['tls'] });
}, afterKeyChecks);

export type RabbitSpec = z.output<typeof spec>;

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
  observe: (s, ctx) => observeRabbit(s, ctx),
  load: async () => { await import('amqplib'); },
});

async function observeRabbit(s: RabbitSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  const deadline = Date.now() + ctx.timeoutMs;
  const e = endpointOf(s);
  const opened = await openClient(s, e, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return { ok: false, error: opened.error };
  try {
    const version = serverVersion(opened.connection);
    const observed: Observed = { connected: true, server: { version } };
    const parts = [`RabbitMQ ${version ?? '(version unknown)'}`];
    const notes: string[] = [];
    if (s.queue !== undefined) {
      const queue = await readState(opened.connection, s.queue);
      observed['queue'] = { ...queue };
      parts.push(describeState(s.queue, queue));
    }
    // Last: a write given up on leaves its channel behind, closed with the connection.
    if (s.writeCheck) {
      const write = await checkWrite(opened.connection, e, canaryQueue(ctx.suite), writeWaitMs(deadline));
      if (ctx.signal.aborted) return timedOut;
      observed['writable'] = write.writable;
      parts.push(write.writable ? 'writable' : 'not writable');
      if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
    }
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    if (ctx.signal.aborted) return timedOut;
    return { ok: false, error: describeRabbitError(error, e) };
  } finally {
    await opened.close();
  }
}
