// A real Prometheus (Debian's) on a free loopback port, scraping a real target whose metrics the test sets.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

export const PROMETHEUS_BIN = process.env.SYNCPROOF_PROMETHEUS ?? '/usr/bin/prometheus';

export interface MetricsTarget {
  readonly port: number;
  /** Sets a sample of the exposition text: `set('errors_ratio', 0.2)`, `set('requests_total', 5, {code: '500'})`. */
  set(name: string, value: number, labels?: Readonly<Record<string, string>>): void;
  remove(name: string): void;
  close(): Promise<void>;
}

/** Serves /metrics in the text exposition format from what the test set. */
export async function startMetricsTarget(): Promise<MetricsTarget> {
  const samples = new Map<string, Map<string, number>>();
  const text = (): string => {
    const lines: string[] = [];
    for (const [name, series] of samples) {
      lines.push(`# TYPE ${name} gauge`);
      for (const [labels, value] of series) lines.push(`${name}${labels} ${Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : value}`);
    }
    return `${lines.join('\n')}\n`;
  };
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(req.url === '/metrics' ? text() : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    set: (name, value, labels = {}) => {
      const key = Object.keys(labels).length ? `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}` : '';
      if (!samples.has(name)) samples.set(name, new Map());
      samples.get(name)!.set(key, value);
    },
    remove: (name) => { samples.delete(name); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface PrometheusServer {
  readonly url: string;
  /** Waits until an instant query of `query` returns at least one sample that `accept` takes. */
  waitFor(query: string, accept?: (value: number) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Prometheus scraping `target` every second (job `app`), its TSDB in a temp dir removed on stop. */
export async function startPrometheus(target: MetricsTarget): Promise<PrometheusServer> {
  if (process.env.SYNCPROOF_PROMETHEUS === undefined) needs('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, [
    'global: {scrape_interval: 1s, evaluation_interval: 1s}',
    'scrape_configs:',
    `  - {job_name: app, static_configs: [{targets: ["127.0.0.1:${target.port}"]}]}`,
    '',
  ].join('\n'));
  const port = await freePort();
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr}`);
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`prometheus: ${what} within ${timeoutMs} ms; stderr: ${stderr}`);
  };
  const server: PrometheusServer = {
    url,
    waitFor: (query, accept = () => true, timeoutMs = 15_000) => until(async () => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = await res.json() as { data?: { result?: { value?: [number, string] }[] } };
      return (body.data?.result ?? []).some((r) => r.value !== undefined && accept(Number(r.value[1])));
    }, `no sample of ${query}`, timeoutMs),
    stop,
  };
  try {
    await until(async () => (await fetch(`${url}/-/ready`)).ok, 'not ready', 20_000);
    await server.waitFor('up{job="app"}', (v) => v === 1);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}
