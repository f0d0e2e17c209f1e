// Throwaway nats-server processes for tests (Debian's nats-server), on free loopback ports in temp dirs:
// one server with JetStream, or a three-node JetStream cluster whose nodes can be stopped and started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

export interface NatsNode {
  readonly name: string;
  readonly port: number;
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
  /** Starts the node again on the same ports and store (after `stop`). */
  start(): Promise<void>;
  log(): string;
}

export interface NatsServerOptions {
  /** More nats-server configuration, e.g. an `authorization { … }` block. */
  readonly config?: string;
  /** `tls { … }` file paths: the server then requires TLS. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** JetStream streams created once the server runs (on a server without auth). */
  readonly streams?: readonly { readonly name: string; readonly subjects: readonly string[] }[];
}

const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const pid of liveGroups) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

function node(name: string, dir: string, port: number, config: string): NatsNode {
  const file = join(dir, `${name}.conf`);
  writeFileSync(file, config);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const start = async (): Promise<void> => {
    needs('nats-server');
    child = spawn('nats-server', ['-c', file], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not start nats-server');
    liveGroups.add(pid);
    const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-16000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    exited = new Promise<void>((resolve) => child?.once('exit', () => { liveGroups.delete(pid); resolve(); }));
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null) throw new Error(`nats-server ${name} exited during start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`nats-server ${name} did not start:\n${output}`);
      await sleep(50);
    }
  };
  const stop = async (): Promise<void> => {
    const pid = child?.pid;
    if (pid !== undefined && liveGroups.has(pid)) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
      await exited;
    }
  };
  return { name, port, url: `nats://127.0.0.1:${port}`, start, stop, log: () => output };
}

function jetstreamBlock(dir: string, name: string): string {
  const store = join(dir, 'store', name);
  mkdirSync(store, { recursive: true });
  return `jetstream { store_dir: "${store}", max_memory_store: 64MB, max_file_store: 256MB }`;
}

/** One server with JetStream. */
export async function startNats(options: NatsServerOptions = {}): Promise<NatsNode & { readonly dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-nats-'));
  liveDirs.add(dir);
  const port = await freePort();
  const tls = options.tls ? `tls { cert_file: "${options.tls.certFile}", key_file: "${options.tls.keyFile}" }` : '';
  const n = node('n1', dir, port, [`listen: 127.0.0.1:${port}`, 'server_name: n1', jetstreamBlock(dir, 'n1'), tls, options.config ?? ''].join('\n'));
  await n.start();
  if (options.streams?.length) {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: n.url });
    const jsm = await jetstreamManager(nc);
    for (const stream of options.streams) await jsm.streams.add({ name: stream.name, subjects: [...stream.subjects] });
    await nc.close();
  }
  return { ...n, dir, stop: async () => { await n.stop(); rmSync(dir, { recursive: true, force: true }); liveDirs.delete(dir); } };
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's url, as a probe's `servers` lists them. */
  readonly servers: readonly string[];
  stop(): Promise<void>;
}

/** Three JetStream nodes n1, n2, n3 routed to each other in cluster `c1`; resolves once the cluster answers. */
export async function startNatsCluster(): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-nats-cluster-'));
  liveDirs.add(dir);
  const ports = [await freePort(), await freePort(), await freePort()];
  const routes = [await freePort(), await freePort(), await freePort()];
  const nodes = ports.map((port, i) => node(`n${i + 1}`, dir, port!, [
    `listen: 127.0.0.1:${port}`, `server_name: n${i + 1}`, jetstreamBlock(dir, `n${i + 1}`),
    `cluster { name: c1, listen: 127.0.0.1:${routes[i]}, routes: [${routes.map((r) => `nats-route://127.0.0.1:${r}`).join(', ')}] }`,
  ].join('\n')));
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, servers: nodes.map((n) => n.url), stop };
}
