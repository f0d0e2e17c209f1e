// prometheus: one PromQL query against a Prometheus-compatible HTTP API, its result as numbers to assert on.
import { defineProbe } from '../types.ts';
import { formatDuration } from '../../duration.ts';
import { spec } from './spec.ts';
import { insecureTls } from '../../net/tls-options.ts';
import { urlHost } from '../../net/address.ts';
import { oneLine } from '../../one-line.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

export const prometheus = defineProbe({
  type: 'prometheus',
  spec,
  fields: { value: 'number', values: 'list', series: 'number', resultType: 'string', warnings: 'list' },
  defaultExpect: ['value != null'],
  hosts: (s) => [urlHost(s.url)],
  insecure: insecureTls,
  target: (s) => `promql ${apiBase(s.url)}${s.range !== undefined && s.step !== undefined ? ` over ${formatDuration(s.range)} step ${formatDuration(s.step)}` : ''}: ${oneLine(s.query, 120)}`,
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.undici);
    await import('undici');
    return (await import('../observers.ts')).prometheus;
  },
});

/** Where the API is, for reports: no credentials and no ?parameters (tokens travel there too). */
function apiBase(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

