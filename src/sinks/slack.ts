// slack: an incoming-webhook message (Block Kit with a plain `text` fallback); by default only on failure.
import { z } from '../zod.ts';
import { VERSION } from '../version.ts';
import { postJson } from './http-post.ts';
import { slackMessage } from './slack-message.ts';
import { defineSink } from './types.ts';
import { urlHost } from '../net/address.ts';

const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^https?:\/\//i, 'must be an http:// or https:// URL (the incoming webhook)'),
    z.refine((u) => URL.canParse(u), 'is not a valid URL'),
  ), { description: 'a Slack incoming webhook URL; it is a credential, so give it with ${env:…} or ${file:…}' }),
});

export const slack = defineSink({
  type: 'slack',
  spec,
  defaultOn: 'failure',
  // The whole path of an incoming-webhook URL is its credential: show only where it goes.
  hosts: (s) => [urlHost(s.url)],
  target: (s) => `slack ${new URL(s.url).host}`,
  deliver: async (record, s, ctx) => {
    const body = Buffer.from(JSON.stringify(slackMessage(record)));
    return postJson({ url: s.url, body, headers: { 'user-agent': `syncproof/${VERSION}` }, signal: ctx.signal });
  },
});
