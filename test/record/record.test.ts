import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeConfig } from '../../src/suite.ts';
import { compact, compactObserved, CUT_KEYS, RECORD_DEPTH_LIMIT, RECORD_KEY_LIMIT, RECORD_LIST_LIMIT, RECORD_STRING_LIMIT } from '../../src/record/compact.ts';
import { appContext, buildRecord } from '../../src/record/record.ts';
import type { RunOutcome } from '../../src/record/outcome.ts';
import { clearSecrets, registerSecret } from '../../src/secrets.ts';

test('the record cuts long strings and lists and says how long they were', () => {
  const body = 'x'.repeat(RECORD_STRING_LIMIT + 10);
  const out = compact({ body, json: { items: Array.from({ length: RECORD_LIST_LIMIT + 5 }, (_, i) => i) }, status: 200 }) as Record<string, unknown>;
  assert.equal(out.body, `${'x'.repeat(RECORD_STRING_LIMIT)}… [truncated, ${RECORD_STRING_LIMIT + 10} chars]`);
  const items = (out.json as { items: unknown[] }).items;
  assert.equal(items.length, RECORD_LIST_LIMIT + 1);
  assert.equal(items.at(-1), `… [truncated, ${RECORD_LIST_LIMIT + 5} items]`);
  assert.equal(out.status, 200);
  assert.deepEqual(compact({ a: 'short', b: [1, 2], c: null }), { a: 'short', b: [1, 2], c: null });
});

test('the record keeps the first keys of a large object and says how many it had; deep values end in a marker', () => {
  const wide = Object.fromEntries(Array.from({ length: 85_000 }, (_, i) => [`k${i}`, i]));
  const out = compact({ json: wide }) as { json: Record<string, unknown> };
  assert.equal(Object.keys(out.json).length, RECORD_KEY_LIMIT + 1);
  assert.equal(out.json.k0, 0);
  assert.equal(out.json[`k${RECORD_KEY_LIMIT - 1}`], RECORD_KEY_LIMIT - 1);
  assert.equal(out.json[CUT_KEYS], '[truncated, 85000 keys]');
  // 500,000 levels: what a 1 MB body of brackets parses to. A recursive walk overflows the stack.
  const deep = JSON.parse(`${'['.repeat(500_000)}${']'.repeat(500_000)}`) as unknown[];
  const kept = compact({ json: deep } as never) as { json: unknown };
  let level: unknown = kept.json;
  for (let i = 1; i < RECORD_DEPTH_LIMIT; i++) level = (level as unknown[])[0];
  assert.equal(level, `… [truncated, nested deeper than ${RECORD_DEPTH_LIMIT} levels]`);
  assert.ok(JSON.stringify(kept).length < 200, 'the record can be serialised');
  const proto = compact(JSON.parse('{"__proto__": {"x": 1}}') as never) as object;
  assert.deepEqual(Object.keys(proto), ['__proto__'], 'a __proto__ key stays a key');
});

test('the record is redacted before it is cut: no part of a secret survives truncation, in values, keys or any field', (t) => {
  t.after(clearSecrets);
  const secret = 'QZXW-evidence-token-7781';
  registerSecret(secret);
  const probe: ProbeConfig = {
    name: `api ${secret}`, type: 'http', spec: { url: `http://127.0.0.1:8080/health?token=${secret}` },
    timing: { timeoutMs: 5000, withinMs: 0, intervalMs: 1000, passes: 1, severity: 'critical' },
    after: [], expect: [], at: { file: 'suite.yaml', line: 1, col: 1 },
  };
  // The secret straddles the cut at RECORD_STRING_LIMIT: cut first, its first characters would be kept.
  const body = `${'x'.repeat(RECORD_STRING_LIMIT - 6)}${secret}yyy`;
  // As the runner hands it over: the observation cut (and redacted) once by compactObserved.
  const observed = compactObserved({ body, json: { [secret]: [secret, ...Array.from({ length: RECORD_LIST_LIMIT + 5 }, (_, i) => `${i} ${secret}`)] }, status: 200 });
  const run: RunOutcome = {
    startedAt: new Date('2026-11-26T10:00:00Z'), finishedAt: new Date('2026-11-26T10:00:01Z'), abortReason: `SIGTERM ${secret}`,
    probes: [{
      probe, verdict: 'failed', attempts: 1, durationMs: 12, error: `refused ${secret}`, observed,
      assertions: [{ expect: 'status == 201', actual: `200 ${secret}`, passed: false }], summary: `status = 200 ${secret}`,
    }],
  };
  const record = buildRecord({ name: `orders ${secret}`, concurrency: 1, deadlineMs: 60_000, probes: [probe], sinks: [], files: [] }, run, { POD_NAME: `pod-${secret}` });
  const json = JSON.stringify(record);
  assert.ok(!json.includes('QZXW'), json.slice(0, 600));
  const p = record.probes[0]!;
  assert.ok((p.observed as { body: string }).body === `${'x'.repeat(RECORD_STRING_LIMIT - 6)}***yyy`, 'redacted, and then short enough to keep whole');
  const list = (p.observed as { json: Record<string, string[]> }).json['***']!;
  assert.equal(list.length, RECORD_LIST_LIMIT + 1);
  assert.equal(list[1], '0 ***');
  assert.deepEqual(Object.keys(p), ['name', 'type', 'target', 'severity', 'verdict', 'attempts', 'durationMs', 'error', 'observed', 'assertions', 'summary']);
  assert.deepEqual(Object.keys(record), ['version', 'id', 'suite', 'app', 'startedAt', 'finishedAt', 'durationMs', 'verdict', 'abortReason', 'counts', 'probes', 'runner']);
  assert.equal(record.counts.failed, 1);
  assert.equal(record.runner.pod, 'pod-***');
});

test('the app context names the repository without its user info (a token as user name has no password to redact)', () => {
  const env = (repoURL: string) => ({ ARGOCD_APP_NAME: 'orders', ARGOCD_APP_SOURCE_REPO_URL: repoURL });
  assert.equal(appContext(env('https://ghp_0123456789abcdef@github.com/acme/orders.git')).repoURL, 'https://github.com/acme/orders.git');
  assert.equal(appContext(env('https://deploy:s3cret-pass@git.example.com/orders')).repoURL, 'https://git.example.com/orders');
  assert.equal(appContext(env('https://git.example.com/orders.git')).repoURL, 'https://git.example.com/orders.git');
  assert.equal(appContext(env('git@github.com:acme/orders.git')).repoURL, 'git@github.com:acme/orders.git');
  assert.deepEqual(appContext({}), { name: null, namespace: null, project: null, revision: null, repoURL: null });
});

test('the target is built from the masked spec: a secret in a form no mask knows (punycode) is not shown', (t) => {
  t.after(clearSecrets);
  registerSecret('Tënant-7f3a9c');
  const probe: ProbeConfig = {
    name: 'api', type: 'http', spec: { method: 'GET', url: 'https://deploy:pw@Tënant-7f3a9c.example.com/health' },
    timing: { timeoutMs: 5000, withinMs: 0, intervalMs: 1000, passes: 1, severity: 'critical' },
    after: [], expect: [], at: { file: 'suite.yaml', line: 1, col: 1 },
  };
  const run: RunOutcome = {
    startedAt: new Date('2026-11-26T10:00:00Z'), finishedAt: new Date('2026-11-26T10:00:01Z'), abortReason: null,
    probes: [{ probe, verdict: 'passed', attempts: 1, durationMs: 1, error: null, observed: null, assertions: [], summary: 'ok' }],
  };
  const record = buildRecord({ name: 'orders', concurrency: 1, deadlineMs: 60_000, probes: [probe], sinks: [], files: [] }, run, {});
  assert.equal(record.probes[0]!.target, 'GET https://***.example.com/health');
});
