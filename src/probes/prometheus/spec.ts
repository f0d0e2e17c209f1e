// The prometheus probe's keys: where the HTTP API is, the PromQL, an optional range, and how to reach it.
import { z } from '../../zod.ts';
import { afterKeyChecks, duration } from '../../spec-parts.ts';
import { CLIENT_HEADERS, headersSchema } from '../../net/http-headers.ts';
import { tlsOptions } from '../../net/tls-options.ts';

/** Prometheus refuses a range query of more points per series than this (`exceeded maximum resolution`). */
export const MAX_POINTS = 11_000;

export const spec = () => z.strictObject({
  url: z.meta(z.string().check(
    z.regex(/^https?:\/\/[^/?#\s]+/i, 'must be an http:// or https:// URL'),
    z.refine((url) => URL.canParse(url), 'is not a valid URL (percent-encode reserved characters such as / or @ in a password)'),
    z.refine((url) => !URL.canParse(url) || new URL(url).hash === '', 'must not have a #fragment'),
  ), { description: 'base URL of a Prometheus-compatible HTTP API, e.g. http://prometheus.monitoring.svc:9090 (Thanos Query, Mimir with its /prometheus prefix, VictoriaMetrics); /api/v1/query is called below it, with any ?parameters of the url added' }),
  query: z.meta(z.string().check(z.minLength(1)),
    { description: 'PromQL, evaluated at the attempt\'s time (an instant query), or over `range` with `step`' }),
  range: z.optional(duration({ positive: true, description: 'a range query over the last RANGE (needs step); each series observes its samples and its last one as value' })),
  step: z.optional(duration({ positive: true, description: 'the resolution of a range query (needs range)' })),
  headers: z.meta(headersSchema(CLIENT_HEADERS, 'is set or refused by the HTTP client, not by the suite'),
    { description: 'request headers, e.g. authorization: "Bearer ${env:PROM_TOKEN}" or X-Scope-OrgID for Mimir' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'for https: ca (PEM text or file path), insecure, serverName; as the http probe\'s' }),
}).check(z.superRefine((s, ctx) => {
  if ((s.range === undefined) !== (s.step === undefined)) {
    ctx.addIssue({ code: 'custom', path: [s.range === undefined ? 'range' : 'step'], message: 'a range query needs both `range` and `step`' });
  } else if (s.range !== undefined && s.step !== undefined && s.range / s.step > MAX_POINTS) {
    ctx.addIssue({ code: 'custom', path: ['step'], message: `range / step is ${Math.ceil(s.range / s.step)} points per series; Prometheus refuses more than ${MAX_POINTS}: use a longer step` });
  }
  if (s.tls !== undefined && /^http:/i.test(s.url)) ctx.addIssue({ code: 'custom', path: ['tls'], message: '`tls` would be ignored: the url is http://' });
}, afterKeyChecks));

export type PrometheusSpec = z.output<ReturnType<typeof spec>>;
