// The suite pattern for "PostSync runs while Pods of the old ReplicaSet still serve" (argo-cd #17408): the
// version endpoint (or a header) must equal the synced revision, retried within the window, so the sync
// waits for the new Pods to serve instead of passing against the old ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { RunRecord } from '../../src/record/types.ts';
import { runCli, tempFiles } from '../support/cli.ts';

const OLD = '9c1e0b7d2a4f6e8c0b1d3f5a7c9e1b3d5f7a9c1e';
const NEW = '3f2a9c1e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a';

/**
 * Answers with the old revision until `switchAfterMs` after the first request, then with the new one: a rollout
 * replacing its Pods. Timed from the first request, not from the start: a CLI slow to start on a loaded machine
 * must still meet the old Pods.
 */
async function rollingService(switchAfterMs: number): Promise<{ url: string; close: () => void }> {
  let started: number | undefined;
  const server = http.createServer((_req, res) => {
    started ??= Date.now();
    const revision = Date.now() - started < switchAfterMs ? OLD : NEW;
    res.writeHead(200, { 'content-type': 'application/json', 'x-revision': revision }).end(JSON.stringify({ version: revision }));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

const SUITE = (url: string, within: string) => `
defaults: { interval: 500ms, within: ${within}, timeout: 2s }
probes:
  - name: serves the synced revision
    type: http
    url: ${url}/version
    expect: [status == 200, 'json.version == "\${env:ARGOCD_APP_REVISION}"']
  - name: revision header
    type: http
    url: ${url}/
    expect: ['headers["x-revision"] == "\${env:ARGOCD_APP_REVISION}"']
`;

async function run(url: string, within: string): Promise<{ code: number | null; record: RunRecord }> {
  const files = tempFiles({ 'suite.yaml': SUITE(url, within) });
  try {
    const result = await runCli(['run', '--config', files.path('suite.yaml'), '--termination-log', '', '--output', 'json'], { env: { ARGOCD_APP_REVISION: NEW } });
    return { code: result.code, record: JSON.parse(result.stdout) as RunRecord };
  } finally {
    files.cleanup();
  }
}

test('the probe waits within the window until the new revision serves, then passes', async (t) => {
  const service = await rollingService(2000);
  t.after(service.close);
  const { code, record } = await run(service.url, '20s');
  assert.equal(code, 0, JSON.stringify(record.probes, null, 2));
  for (const probe of record.probes) assert.ok(probe.attempts > 1, `${probe.name} passed only once the old Pods were gone (${probe.attempts} attempts)`);
});

test('while the old revision still serves when the window closes, the sync is held back', async (t) => {
  const service = await rollingService(60_000);
  t.after(service.close);
  const { code, record } = await run(service.url, '1s');
  assert.equal(code, 1);
  assert.deepEqual(record.probes.map((p) => p.verdict), ['failed', 'failed']);
  assert.match(record.probes[0]?.summary ?? '', /^json\.version = "9c1e0b7/);
});
