// The tests play the node: there is no kubelet, so this loop does its part for the Pods the real Job
// controller creates in one namespace. It binds each new Pod to a node name (the scheduler's part),
// runs its container with podman as kubelet would start it (test/image/kubelet.ts: the ConfigMap and
// Secret volumes in kubelet's layout, env, security context, limits, termination-message file), and
// writes what happened back through the API: phase Running, then the container's exit code, reason
// and termination message, phase Succeeded or Failed. A Pod being deleted (an eviction) has its
// container stopped with SIGTERM and its grace period, then is deleted once it has terminated.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CACHE } from '../../tools/prerequisites/checks.ts';
import { podToPodman } from '../image/kubelet.ts';
import type { K8sObject } from '../chart/support/tools.ts';
import type { KubeApi, KubeObject } from '../support/kube/api.ts';

export const NODE_NAME = 'syncproof-test-node';
const MAX_MESSAGE = 4096;          // kubelet reads at most this much of the termination-message file
const FALLBACK_LINES = 80;         // FallbackToLogsOnError: the last 80 lines, at most 2048 bytes
const FALLBACK_BYTES = 2048;

export interface PodRun {
  readonly pod: string;
  readonly exitCode: number;
  readonly terminationMessage: string;
  readonly stopped: boolean;
  /** The Pod's conditions once its final status was written (DisruptionTarget for an eviction). */
  readonly conditions: Array<{ type: string; status: string; reason?: string }>;
  readonly stdout: string;
  readonly stderr: string;
}

interface PodSpec { containers: Array<{ name: string; image: string; terminationMessagePolicy?: string }>; terminationGracePeriodSeconds?: number }
interface Pod extends KubeObject { spec: PodSpec }

export interface NodeOptions {
  /** Instead of the image's entrypoint and args (the one case no suite provokes: an internal error, exit 3). */
  readonly entrypoint?: (pod: Pod) => string[] | undefined;
}

export class TestNode {
  readonly runs: PodRun[] = [];
  readonly errors: Error[] = [];
  private readonly seen = new Set<string>();
  private readonly active = new Set<Promise<void>>();
  private running = true;
  private readonly loop: Promise<void>;
  private readonly api: KubeApi;
  private readonly namespace: string;
  private readonly options: NodeOptions;

  constructor(api: KubeApi, namespace: string, options: NodeOptions = {}) {
    this.api = api;
    this.namespace = namespace;
    this.options = options;
    this.loop = this.watch();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.active);
  }

  private async watch(): Promise<void> {
    while (this.running) {
      try {
        for (const pod of await this.api.list<Pod>('v1', 'Pod', this.namespace)) {
          const uid = pod.metadata.uid ?? '';
          if (this.seen.has(uid) || pod.metadata.deletionTimestamp || (pod.spec as { nodeName?: string }).nodeName) continue;
          this.seen.add(uid);
          const run = this.run(pod).catch((error: unknown) => { this.errors.push(error as Error); });
          this.active.add(run);
          void run.finally(() => this.active.delete(run));
        }
      } catch (error) {
        if (this.running) this.errors.push(error as Error);
      }
      await sleep(250);
    }
  }

  private async run(pod: Pod): Promise<void> {
    const { name } = pod.metadata;
    const podPath = `/api/v1/namespaces/${this.namespace}/pods/${name}`;
    await this.api.call('POST', `${podPath}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: NODE_NAME } });
    const objects = [...await this.api.list<K8sObject>('v1', 'ConfigMap', this.namespace), ...await this.api.list<K8sObject>('v1', 'Secret', this.namespace)];
    const dir = mkdtempSync(join(tmpdir(), 'syncproof-node-'));
    const containerName = `syncproof-node-${(pod.metadata.uid ?? name).slice(0, 13)}`;
    try {
      const translated = podToPodman(pod as unknown as K8sObject, objects, dir);
      writeFileSync(join(dir, 'env'), translated.env, { mode: 0o600 });
      const container = pod.spec.containers[0] as PodSpec['containers'][number];
      const entrypoint = this.options.entrypoint?.(pod);
      const command = entrypoint ? ['--entrypoint', JSON.stringify(entrypoint), container.image] : translated.command;
      const startedAt = now();
      await this.status(podPath, { phase: 'Running', startTime: startedAt, hostIP: '127.0.0.1', podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }],
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }, { type: 'Initialized', status: 'True' }],
        containerStatuses: [{ name: container.name, image: container.image, imageID: container.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt } } }] });

      // Not from the Pod: host network, so that the container reaches the tests' targets on 127.0.0.1.
      const child = spawn('podman', ['run', '--name', containerName, '--network', 'host', ...translated.options, ...command],
        { stdio: ['ignore', 'pipe', 'pipe'], env: podmanEnv() });
      const out = { stdout: '', stderr: '' };
      child.stdout.on('data', (chunk: Buffer) => { out.stdout = (out.stdout + chunk.toString()).slice(-65536); });
      child.stderr.on('data', (chunk: Buffer) => { out.stderr = (out.stderr + chunk.toString()).slice(-65536); });
      const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 137 : 1))));
      let stopped = false;
      let exitCode: number | undefined;
      void exited.then((code) => { exitCode = code; });
      while (exitCode === undefined) {
        const live = await this.api.get<Pod>('v1', 'Pod', this.namespace, name).catch(() => undefined);
        if (!stopped && (live === undefined || live.metadata.deletionTimestamp)) {
          stopped = true;
          const grace = live?.spec.terminationGracePeriodSeconds ?? 30;
          spawn('podman', ['stop', '--time', String(grace), containerName], { stdio: 'ignore', env: podmanEnv() });
        }
        await Promise.race([exited, sleep(250)]);
      }
      const code = await exited;
      const message = terminationMessage(join(dir, 'termination-log'), container.terminationMessagePolicy, code, `${out.stdout}${out.stderr}`);
      const finishedAt = now();
      const final = await this.status(podPath, { phase: code === 0 ? 'Succeeded' : 'Failed',
        conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }, { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }],
        containerStatuses: [{ name: container.name, image: container.image, imageID: container.image, ready: false, started: false, restartCount: 0,
          containerID: `podman://${containerName}`,
          state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt, finishedAt, containerID: `podman://${containerName}`, ...(message ? { message } : {}) } } }] });
      if (stopped) await this.api.call('DELETE', `${podPath}?gracePeriodSeconds=0`).catch(() => undefined);
      const conditions = (final.status as { conditions?: PodRun['conditions'] } | undefined)?.conditions ?? [];
      this.runs.push({ pod: name, exitCode: code, terminationMessage: message, stopped, conditions, ...out });
    } finally {
      spawnSync('podman', ['rm', '--force', '--ignore', containerName], { stdio: 'ignore', env: podmanEnv() });
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A strategic-merge patch of the Pod's status: conditions merge by type, so DisruptionTarget stays. */
  private async status(podPath: string, status: Record<string, unknown>): Promise<KubeObject> {
    return (await this.api.call('PATCH', `${podPath}/status`, { status }, 'application/strategic-merge-patch+json')).body;
  }
}

function terminationMessage(file: string, policy: string | undefined, code: number, logs: string): string {
  const written = existsSync(file) ? readFileSync(file).subarray(0, MAX_MESSAGE).toString() : '';
  if (written || policy !== 'FallbackToLogsOnError' || code === 0) return written;
  const lines = logs.split('\n').slice(-FALLBACK_LINES - 1).join('\n');
  return Buffer.from(lines).subarray(-FALLBACK_BYTES).toString();
}

/** The podman configuration .ci/image-check writes for this sandbox (runc, explicit ulimits). */
export function podmanEnv(): NodeJS.ProcessEnv {
  const conf = join(CACHE, 'containers.conf');
  return existsSync(conf) ? { ...process.env, CONTAINERS_CONF: conf } : process.env;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
