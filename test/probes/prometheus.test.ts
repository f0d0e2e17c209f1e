import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prometheus } from '../../src/probes/prometheus/index.ts';
import type { AttemptContext, Observation, Observed } from '../../src/probes/types.ts';
import { refusedPort } from '../support/net.ts';
import { startMetricsTarget, startPrometheus, type MetricsTarget, type PrometheusServer } from '../support/prometheus.ts';

const observePrometheus = await prometheus.load();

function context(timeoutMs = 5000, signal = AbortSignal.timeout(timeoutMs)): AttemptContext {
  return { signal, timeoutMs, suite: 'test' };
}

function observe(spec: Record<string, unknown>, ctx = context()): Promise<Observation> {
  return observePrometheus(prometheus.spec.parse(spec), ctx);
}

async function observed(spec: Record<string, unknown>): Promise<Observed> {
  const result = await observe(spec);
  assert.ok(result.ok, `expected an observation, got ${JSON.stringify(result)}`);
  return result.observed;
}

let target: MetricsTarget;
let prom: PrometheusServer;
before(async () => {
  target = await startMetricsTarget();
  target.set('orders_error_ratio', 0.002);
  target.set('orders_requests', 40, { code: '200' });
  target.set('orders_requests', 2, { code: '500' });
  prom = await startPrometheus(target);
  await prom.waitFor('orders_error_ratio');
});
after(async () => {
  await prom?.stop();
  await target?.close();
});

describe('against a real Prometheus scraping a real target', () => {
  test('a one-series vector: value, values with labels, series, resultType', async () => {
    const seen = await observed({ url: prom.url, query: 'orders_error_ratio' });
    assert.equal(seen.value, 0.002);
    assert.equal(seen.series, 1);
    assert.equal(seen.resultType, 'vector');
    const [series] = seen.values as { labels: Record<string, string>; value: number }[];
    assert.equal(series?.labels.job, 'app');
    assert.equal(series?.labels.__name__, 'orders_error_ratio');
    assert.deepEqual(seen.warnings, []);
  });

  test('several series: every one in values, value null with a note saying to aggregate', async () => {
    const result = await observe({ url: prom.url, query: 'orders_requests' });
    assert.ok(result.ok);
    assert.equal(result.observed.series, 2);
    assert.equal(result.observed.value, null);
    assert.deepEqual((result.observed.values as { labels: { code: string }; value: number }[]).map((v) => [v.labels.code, v.value]).sort(), [['200', 40], ['500', 2]]);
    assert.match(result.notes?.join() ?? '', /2 series: value is null unless the query returns one/);
    const ratio = await observed({ url: prom.url, query: 'sum(orders_requests{code="500"}) / sum(orders_requests)' });
    assert.equal(ratio.value, 2 / 42);
  });

  test('a scalar is its value; NaN and +Inf are observed as such (numbers)', async () => {
    assert.equal((await observed({ url: prom.url, query: 'scalar(vector(3))' })).value, 3);
    assert.equal((await observed({ url: prom.url, query: 'vector(1) / 0' })).value, Infinity);
    assert.equal((await observed({ url: prom.url, query: 'vector(-1) / 0' })).value, -Infinity);
    assert.ok(Number.isNaN((await observed({ url: prom.url, query: 'vector(0) / 0' })).value));
  });

  test('an empty result: value null, series 0, and the reason as a note', async () => {
    const result = await observe({ url: prom.url, query: 'orders_error_ratio{job="nope"}' });
    assert.ok(result.ok);
    assert.equal(result.observed.value, null);
    assert.equal(result.observed.series, 0);
    assert.equal(result.summary, 'no series');
    assert.deepEqual(result.notes, ['the query returned no series']);
  });

  test("a query error is the attempt's reason, in Prometheus' own words", async () => {
    const result = await observe({ url: prom.url, query: 'sum(orders_error_ratio' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /^query error: bad_data: .*parse error/);
  });

  test('a string result is not a number: a plain reason', async () => {
    const result = await observe({ url: prom.url, query: '"hello"' });
    assert.deepEqual(result, { ok: false, error: 'the query\'s result is a string ("hello"); compare numbers: wrap it in an aggregation or a numeric function' });
  });

  test('a range query: each series with its samples and the last as value', async () => {
    await new Promise((r) => setTimeout(r, 3000));
    const seen = await observed({ url: prom.url, query: 'orders_error_ratio', range: '5s', step: '1s' });
    assert.equal(seen.resultType, 'matrix');
    assert.equal(seen.value, 0.002);
    const [series] = seen.values as { samples: number[] }[];
    assert.ok((series?.samples.length ?? 0) >= 2, JSON.stringify(series));
    assert.ok(series?.samples.every((v) => v === 0.002));
  });

  test('a base url with a path prefix (Mimir: /prometheus) and its own parameters', async () => {
    const prefixed = await observe({ url: `${prom.url}/nope?dedup=true`, query: 'orders_error_ratio' });
    assert.equal(prefixed.ok, false);
    assert.match(!prefixed.ok ? prefixed.error : '', /^HTTP 404 from 127\.0\.0\.1:\d+ is not a Prometheus API answer \(no JSON\): check the url$/);
    assert.equal((await observed({ url: `${prom.url}/?dedup=true`, query: 'orders_error_ratio' })).value, 0.002);
  });
});

describe('bounded by the attempt', () => {
  test('a refused port is a plain reason', async () => {
    const port = await refusedPort();
    assert.deepEqual(await observe({ url: `http://127.0.0.1:${port}`, query: 'up' }), { ok: false, error: `connection refused (127.0.0.1:${port})` });
  });

  test('an answer over 1 MiB is refused, not parsed', async () => {
    const big = createServer((_req, res) => res.end(`{"status":"success","data":{"resultType":"vector","result":[${'{"metric":{},"value":[1,"1"]},'.repeat(40_000)}]}}`));
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      const result = await observe({ url: `http://127.0.0.1:${(big.address() as AddressInfo).port}`, query: 'up' });
      assert.deepEqual(result, { ok: false, error: 'the answer is larger than 1 MiB: narrow the query (aggregate with sum/max, or select fewer series)' });
    } finally {
      big.closeAllConnections();
      await new Promise((resolve) => big.close(resolve));
    }
  });
});

describe('credentials refused', () => {
  test('a 401 is not retried (another attempt would only repeat it); a 403 may be, it can be a rule that changes', async () => {
    for (const [status, retry] of [[401, false], [403, undefined]] as const) {
      const refusing = createServer((_req, res) => { res.statusCode = status; res.end('{"status":"error"}'); });
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
      try {
        const result = await observe({ url: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, query: 'up' });
        assert.equal(result.ok, false);
        assert.equal(result.ok ? undefined : result.retry, retry, String(status));
        assert.match(result.ok ? '' : result.error, new RegExp(`^HTTP ${status}: the API refused the request`));
      } finally {
        refusing.closeAllConnections();
        await new Promise((resolve) => refusing.close(resolve));
      }
    }
  });
});

describe('spec', () => {
  const parse = (s: Record<string, unknown>) => prometheus.spec.safeParse({ url: 'http://prom:9090', query: 'up', ...s });
  test('range and step go together, within 11,000 points per series', () => {
    assert.equal(parse({ range: '5m' }).success, false);
    assert.equal(parse({ step: '30s' }).success, false);
    assert.equal(parse({ range: '5m', step: '30s' }).success, true);
    const tooFine = parse({ range: '1d', step: '1s' });
    assert.equal(tooFine.success, false);
    assert.match(JSON.stringify(tooFine.error?.issues), /86400 points per series; Prometheus refuses more than 11000/);
  });
  test('the target names the API and the query, never credentials', () => {
    const s = prometheus.spec.parse({ url: 'https://user:secret@prom:9090', query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))\n  / sum(rate(http_requests_total[5m]))' });
    assert.equal(prometheus.target(s), 'promql https://prom:9090: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))');
  });
});
