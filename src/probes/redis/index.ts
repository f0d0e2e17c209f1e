import { z } from '../../zod.ts';
import { MALFORMED_ESCAPE, urlPartsDecodable } from '../../net/url-credentials.ts';
import { afterKeyChecks } from '../../spec-parts.ts';
import { defineProbe } from '../types.ts';
import { DATA_LAYER_FIELDS } from '../database.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { endpointOf, targetOf } from './endpoint.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^rediss?:\/\/\S*$/i, 'must be a redis:// or rediss:// URL'),
    z.refine((text) => URL.canParse(text), 'is not a valid URL'),
    z.refine((text) => !URL.canParse(text) || /^\/?\d*$/.test(new URL(text).pathname), 'the path must be a database index, e.g. /0'),
    z.refine(urlPartsDecodable, MALFORMED_ESCAPE),
  ), { description: 'redis://[user[:password]@]host[:port][/db], rediss:// for TLS' }),
  username: z.meta(z.optional(z.string().check(z.minLength(1))), { description: 'ACL user; overrides the url\'s' }),
  password: z.meta(z.optional(z.string()), { description: 'overrides the url\'s; use ${env:…} or ${file:…}' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'rediss:// only: ca (PEM text or file path), insecure, serverName' }),
  command: z.meta(z.optional(z.array(z.string()).check(z.minLength(1, 'needs the command name, e.g. [GET, feature:checkout]'))),
    { description: 'one command, e.g. [GET, feature:checkout]; its reply is `result`' }),
  allowWrite: z.meta(z.default(z.boolean(), false),
    { description: 'send `command` even when the server does not flag it read-only' }),
  writeCheck: z.meta(z.optional(z.boolean()),
    { description: 'SET and GET back syncproof:canary:<suite> (60 s expiry); observes `writable`' }),
}).check(z.superRefine((s, ctx) => {
  if (s.tls !== undefined && !/^rediss:/i.test(s.url)) ctx.addIssue({ code: 'custom', message: '`tls` needs a rediss:// url', path: ['tls'] });
  if (s.allowWrite && s.command === undefined) ctx.addIssue({ code: 'custom', message: '`allowWrite` needs a `command`', path: ['allowWrite'] });
}, afterKeyChecks));

export type RedisSpec = z.output<ReturnType<typeof spec>>;

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
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.ioredis);
    await import('ioredis');
    return (await import('../observers.ts')).redis;
  },
});

/** The attempt, abandoned at the abort signal: the client's socket is destroyed then, so nothing outlives it. */
