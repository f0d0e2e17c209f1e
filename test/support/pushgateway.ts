// Debian's Prometheus Pushgateway, and a real Prometheus scraping it, on free loopback ports in temp dirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

export interface Server {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface PrometheusServer extends Server {
  /** The result of an instant query (`data.result`). */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** In memory only: Debian's build persists to /var/lib/prometheus/pushgateway.data by default. */
export async function startPushgateway(): Promise<Server> {
  needs('pushgateway');
  const port = await freePort();
  return launch('/usr/bin/prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'], port);
}

/** Scrapes `target` (host:port of a Pushgateway) every second, honouring its labels as Prometheus docs ask. */
export async function startPrometheus(target: string): Promise<PrometheusServer> {
  needs('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['${target}']
`);
  const port = await freePort();
  const server = await launch('/usr/bin/prometheus', [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], port, () => rmSync(dir, { recursive: true, force: true }));
  return {
    ...server,
    query: async (expr) => {
      const res = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${JSON.stringify(body)}`);
      return body.data.result;
    },
  };
}

async function launch(bin: string, args: string[], port: number, cleanup = () => {}): Promise<Server> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${bin} exited: ${stderr}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${bin} not ready after 30s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url, port,
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      cleanup();
    },
  };
}
