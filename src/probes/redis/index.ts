import { z } from 'zod';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe, type AttemptContext, type Observation, type Observed } from '../types.ts';
import { timeoutReason } from '../../net/socket-errors.ts';
import { DATA_LAYER_FIELDS, writeWaitMs } from '../database.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { formatDuration } from '../../duration.ts';
import { describeRedisError, endpointOf, openClient, targetOf, type RedisEndpoint } from './connect.ts';
import { describeState, readState } from './state.ts';
import { runReadOnly } from './query.ts';
import { checkWrite } from './write.ts';
import { untilAborted } from '../../process/until-aborted.ts';

const spec = z.strictObject({
  url: z.string().regex(/^rediss?:\/\/\S*$/i, 'must be a redis:// or rediss:// URL')
    .refine((text) => URL.canParse(text), 'is not a valid URL')
    .refine((text) => !URL.canParse(text) || /^\/?\d*$/.test(new URL(text).pathname), 'the path must be a database index, e.g. /0')
    .refine(urlPartsDecodable, MALFORMED_ESCAPE)
    .describe('redis://[user[:password]@]host[:port][/db], rediss:// for TLS'),
  username: z.string().min(1).optional().describe('ACL user; overrides the url\'s'),
  password: z.string().optional().describe('overrides the url\'s; use ${env:…} or ${file:…}'),
  tls: tlsOptions.optional().describe('rediss:// only: ca (PEM text or file path), insecure, serverName'),
  command: z.array(z.string()).min(1, 'needs the command name, e.g. [GET, feature:checkout]').optional()
    .describe('one command, e.g. [GET, feature:checkout]; its reply is `result`'),
  allowWrite: z.boolean().default(false).describe('send `command` even when the server does not flag it read-only'),
  writeCheck: z.boolean().optional().describe('SET and GET back syncproof:canary:<suite> (60 s expiry); observes `writable`'),
}).superRefine((s, ctx) => {
  if (s.tls !== undefined && !/^rediss:/i.test(s.url)) ctx.addIssue({ code: 'custom', message: '`tls` needs a rediss:// url', path: ['tls'] });
  if (s.allowWrite && s.command === undefined) ctx.addIssue({ code: 'custom', message: '`allowWrite` needs a `command`', path: ['allowWrite'] });
}, afterKeyChecks);

type RedisSpec = z.output<typeof spec>;

export const redis = defineProbe({
  type: 'redis',
  spec,
  fields: {
    ...DATA_LAYER_FIELDS,
    'replication.linkUp': 'boolean',
    result: 'any',
  },
  observedOnlyWith: { writable: 'writeCheck', result: 'command' },
  defaultExpect: ['connected'],
  hosts: (s) => [endpointOf(s).host],
  insecure: insecureTls,
  target: (s) => targetOf(s),
  observe: (s, ctx) => observeRedis(s, ctx),
  load: async () => { await import('ioredis'); },
});

/** The attempt, abandoned at the abort signal: the client's socket is destroyed then, so nothing outlives it. */
async function observeRedis(s: RedisSpec, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  if (ctx.signal.aborted) return timedOut;
  return untilAborted(attempt(s, endpointOf(s), ctx, Date.now() + ctx.timeoutMs), ctx.signal, () => timedOut);
}

async function attempt(s: RedisSpec, e: RedisEndpoint, ctx: AttemptContext, deadline: number): Promise<Observation> {
  const opened = await openClient(s, e, ctx.signal, ctx.timeoutMs);
  if (!opened.ok) return opened;
  const { client } = opened;
  try {
    const state = await readState(client);
    const observed: Observed = {
      connected: true,
      version: state.version,
      role: state.role,
      readOnly: state.readOnly,
      replication: { linkUp: state.linkUp, lag: state.lagMs, replicas: state.replicas },
    };
    const notes = [...opened.notes, ...state.notes];
    const parts = [describeState(state, formatDuration)];
    if (s.command !== undefined) {
      const outcome = await runReadOnly(client, s.command, s.allowWrite);
      if (!outcome.ok) return { ok: false, error: outcome.error };
      observed['result'] = outcome.result;
    }
    // Last: a write the server holds back is given up on, its reply never read, so nothing may follow it.
    if (s.writeCheck) {
      const write = await checkWrite(client, ctx.suite, writeWaitMs(deadline));
      observed['writable'] = write.writable;
      parts.push(write.writable ? 'writable' : 'not writable');
      if (!write.writable) notes.push(`writeCheck: ${write.reason}`);
    }
    return { ok: true, observed, summary: parts.join(', '), ...(notes.length ? { notes } : {}) };
  } catch (error) {
    return { ok: false, error: describeRedisError(opened.refusal() ?? error, e) };
  } finally {
    opened.close();
  }
}
