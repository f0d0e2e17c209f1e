// Fault matrix, network rows: refused, dropped, silent, trickling, reset, huge.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../../src/record/types.ts';
import { startHttpServer } from '../support/http-server.ts';
import { refusedPort, silentPeer } from '../support/net.ts';
import { droppedHost, netnsUnavailable } from '../support/netns.ts';
import { assertRunGuarantees, row, runFault, STARTUP_MS } from './harness.ts';
import { hugeBodyServer, resettingServer } from './servers.ts';

const ONCE = 'defaults:\n  within: 0s\n  timeout: 1s\n';
/** One attempt of 1 s, plus scheduling slack on a busy machine. */
const ONE_ATTEMPT = { maxMs: 2000 };
const FAILED_RUN = { code: 1, verdict: 'failed', withinMs: 1000 + STARTUP_MS + 2000 } as const;

const netnsSkip = await netnsUnavailable();

/** A webhook receiver inside namespace `ns` (test/faults/ns-receiver.ts): its origin, and the records it got. */
async function receiverIn(ns: string, t: { after: (fn: () => void) => void }): Promise<{ origin: string; records: () => RunRecord[] }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, fileURLToPath(new URL('./ns-receiver.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGTERM'));
  const lines: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  for (let waited = 0; lines.length === 0; waited += 50) {
    if (waited > 20_000) throw new Error('the namespace receiver did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { origin: lines[0]!, records: () => lines.slice(1).map((b) => JSON.parse(Buffer.from(b, 'base64').toString()) as RunRecord) };
}

describe('network faults', { concurrency: true }, () => {
  test('refused port: tcp, http, postgres, mysql, redis', async (t) => {
    const port = await refusedPort();
    // A refusal comes at once; the 5 s timeout leaves room for loading each driver on a busy machine.
    const run = await runFault(t, { suite: `defaults:\n  within: 0s\n  timeout: 5s\nprobes:
  - { name: tcp, type: tcp, host: 127.0.0.1, port: ${port} }
  - { name: http, type: http, url: "http://127.0.0.1:${port}/" }
  - { name: postgres, type: postgres, url: "postgres://app@127.0.0.1:${port}/app" }
  - { name: mysql, type: mysql, url: "mysql://app@127.0.0.1:${port}/app" }
  - { name: redis, type: redis, url: "redis://127.0.0.1:${port}" }` });
    assertRunGuarantees(run, { ...FAILED_RUN, withinMs: 5000 + STARTUP_MS });
    for (const name of ['tcp', 'http', 'postgres', 'mysql', 'redis']) {
      row('refused port', run, name, { verdict: 'failed', reason: new RegExp(`^connection refused \\(127\\.0\\.0\\.1:${port}\\)$`), maxMs: 5000 });
    }
  });

  test('dropped packets (network namespace, DROP rule): connect timeout', { skip: netnsSkip }, async (t) => {
    const host = await droppedHost();
    t.after(() => host.remove());
    // The test's loopback is out of the namespace's reach: the webhook receiver runs inside it.
    const inside = await receiverIn(host.client, t);
    const run = await runFault(t, { namespace: host.client, webhook: false, sinks: `  - { type: webhook, url: "${inside.origin}/hook" }\n`, suite: `${ONCE}probes:
  - { name: tcp, type: tcp, host: ${host.address}, port: 5432 }
  - { name: http, type: http, url: "http://${host.address}/" }
  - { name: tls, type: tls, host: ${host.address}, port: 443 }
  - { name: postgres, type: postgres, url: "postgres://app@${host.address}:5432/app" }
  - { name: mysql, type: mysql, url: "mysql://app@${host.address}:3306/app" }
  - { name: redis, type: redis, url: "redis://${host.address}:6379" }` });
    assertRunGuarantees(run, { ...FAILED_RUN, webhook: false });
    for (const name of ['tcp', 'http', 'tls', 'postgres', 'mysql', 'redis']) {
      row('dropped packets', run, name, { verdict: 'failed', reason: /^timeout after 1s$/, ...ONE_ATTEMPT });
    }
    assert.match(run.stdout, /\nsink webhook: delivered\n/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(inside.records().map((r) => r.id), [run.record?.id], 'the webhook in the namespace received the record once');
  });

  test('accepts and never answers: http, tls, postgres, mysql, redis', async (t) => {
    const peer = await silentPeer();
    t.after(() => peer.close());
    const run = await runFault(t, { suite: `${ONCE}probes:
  - { name: http, type: http, url: "http://127.0.0.1:${peer.port}/" }
  - { name: tls, type: tls, host: 127.0.0.1, port: ${peer.port} }
  - { name: postgres, type: postgres, url: "postgres://app@127.0.0.1:${peer.port}/app" }
  - { name: mysql, type: mysql, url: "mysql://app@127.0.0.1:${peer.port}/app" }
  - { name: redis, type: redis, url: "redis://127.0.0.1:${peer.port}" }` });
    assertRunGuarantees(run, FAILED_RUN);
    for (const name of ['http', 'tls', 'postgres', 'mysql', 'redis']) {
      row('accepts, never answers', run, name, { verdict: 'failed', reason: /^timeout after 1s$/, ...ONE_ATTEMPT });
    }
    assert.equal(peer.accepted(), 5);
    assert.equal(peer.open(), 0, 'every probe closed its socket');
  });

  test('a body that trickles (a byte every 200 ms, never ending)', async (t) => {
    const server = await startHttpServer();
    t.after(() => server.close());
    const run = await runFault(t, { suite: `${ONCE}probes:\n  - { name: http, type: http, url: "${server.url}/slow" }` });
    assertRunGuarantees(run, FAILED_RUN);
    row('body trickles', run, 'http', { verdict: 'failed', reason: /^timeout after 1s$/, ...ONE_ATTEMPT });
    assert.equal(server.open(), 0, 'the probe closed its socket');
  });

  test('a reset in the middle of the response', async (t) => {
    const server = await resettingServer();
    t.after(() => server.close());
    const run = await runFault(t, { suite: `${ONCE}probes:\n  - { name: http, type: http, url: "${server.url}" }` });
    assertRunGuarantees(run, FAILED_RUN);
    row('reset mid-response', run, 'http', { verdict: 'failed', reason: /^connection reset/, ...ONE_ATTEMPT });
  });

  test('a 200 MB body: the verdict stands on the first MiB and memory stays bounded', async (t) => {
    const bytes = 200 * 1024 * 1024;
    const server = await hugeBodyServer(bytes);
    t.after(() => server.close());
    const run = await runFault(t, { suite: `defaults:\n  within: 0s\n  timeout: 20s\nprobes:\n  - { name: http, type: http, url: "${server.url}", expect: ["status == 200", "body.length == 1048576"] }` });
    assertRunGuarantees(run, { code: 0, verdict: 'passed', withinMs: 20_000 + STARTUP_MS });
    row('200 MB body', run, 'http', { verdict: 'passed', reason: /^200 in \d+(ms|\.\ds|s) \(body cut off after the first 1 MiB\)$/, maxMs: 20_000 });
    const peakMb = (run.exit?.peakRssKb ?? Infinity) / 1024;
    assert.ok(peakMb < 200, `peak RSS ${peakMb} MB`);
  });
});
