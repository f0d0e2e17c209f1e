// The chart's PostSync Job on a real control plane: applied to kube-apiserver (restricted Pod
// Security), its Pod created by the real Job controller and run by the tests playing the node
// (./node.ts) with the real image, and the real controller's verdict asserted for each exit code
// syncproof has and for an eviction. Then what Argo CD computes from the live Job and Pod, with
// gitops-engine's own health code (./argo.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART, render } from '../chart/support/tools.ts';
import { startControlPlane, waitFor, type ControlPlane } from '../support/kube/control-plane.ts';
import type { KubeObject } from '../support/kube/api.ts';
import { argoHealth } from './argo.ts';
import { TestNode } from './node.ts';

const NS = 'orders';
const IMAGE = { repository: 'localhost/syncproof', tag: 'ci' };
const IMAGE_VALUES = join(import.meta.dirname, '..', 'image');
const INTERNAL_ERROR_LABEL = 'syncproof.test/internal-error';
const scratch = mkdtempSync(join(tmpdir(), 'syncproof-kube-test-'));
let cp: ControlPlane;
let node: TestNode;
let target: ChildProcess;
let slow: Server;
let slowRequests = 0;
const hanging = new Set<import('node:http').ServerResponse>();

interface Condition { type: string; status: string; reason?: string; message?: string }
interface JobStatus { conditions?: Condition[]; succeeded?: number; failed?: number; active?: number }
interface PodStatus { phase: string; conditions?: Condition[]; containerStatuses?: Array<{ state: { terminated?: { exitCode: number; message?: string } } }> }

before(async () => {
  cp = await startControlPlane();
  await cp.namespace(NS);
  const token = `tok-${process.pid}-secret`;
  target = spawn(process.execPath, [join(IMAGE_VALUES, 'target.ts')], { env: { ...process.env, TARGET_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => target.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())));
  // The eviction case's target: its first request hangs (the run is in progress when the Pod is
  // evicted), every later one is answered at once.
  slow = createServer((req, res) => {
    slowRequests += 1;
    if (slowRequests === 1) hanging.add(res);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  await cp.api.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-target', namespace: NS }, data: { TARGET_HOST: '127.0.0.1', TARGET_PORT: port } });
  await cp.api.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-target-token', namespace: NS }, type: 'Opaque', data: { token: Buffer.from(token).toString('base64') } });
  node = new TestNode(cp.api, NS, {
    // No suite provokes an internal error in a correct build: for exit 3 the node runs the image's
    // own node with `process.exit(3)` instead of syncproof (docs/verification.md).
    entrypoint: (pod) => (pod.metadata.labels?.[INTERNAL_ERROR_LABEL] ? ['/usr/local/bin/node', '-e', 'process.exit(3)'] : undefined),
  });
});

after(async () => {
  await node?.stop();
  for (const res of hanging) res.destroy();
  slow?.close();
  target?.kill();
  await cp?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function values(name: string, yaml: string): string {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Renders the chart, applies it for real, and waits for the Job controller's final verdict. */
async function runJob(release: string, args: string[]): Promise<{ job: KubeObject & { status: JobStatus }; pods: Array<KubeObject & { status: PodStatus }> }> {
  const objects = render(release, CHART, ['-n', NS, '--set-string', `image.repository=${IMAGE.repository}`, '--set-string', `image.tag=${IMAGE.tag}`, ...args]);
  for (const object of objects) {
    const { warnings } = await cp.api.apply(object, { namespace: NS });
    assert.deepEqual(warnings, [], `${object.kind}: no Pod Security or other warning`);
  }
  const name = `${release}-syncproof`;
  const job = await waitFor(`Job ${name} finished`, async () => {
    const live = await cp.api.get<KubeObject & { status: JobStatus }>('batch/v1', 'Job', NS, name);
    return live.status.conditions?.some((c) => ['Complete', 'Failed'].includes(c.type) && c.status === 'True') ? live : undefined;
  }, 120_000);
  assert.deepEqual(node.errors, []);
  const pods = await cp.api.list<KubeObject & { status: PodStatus }>('v1', 'Pod', NS, `batch.kubernetes.io/job-name=${name}`);
  return { job, pods };
}

function conditions(job: { status: JobStatus }): Array<[string, string, string | undefined, string | undefined]> {
  return (job.status.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
}

const failJob = (pod: string, code: number): string => `Container syncproof for pod ${NS}/${pod} failed with exit code ${code} matching FailJob rule at index 1`;

test('exit 0: the Job completes; Argo CD shows the hook Healthy and Succeeded', async () => {
  const { job, pods } = await runJob('passes', ['-f', join(IMAGE_VALUES, 'pass-values.yaml')]);
  assert.equal(pods.length, 1);
  const pod = pods[0] as KubeObject & { status: PodStatus };
  assert.equal(pod.status.containerStatuses?.[0]?.state.terminated?.exitCode, 0);
  assert.match(pod.status.containerStatuses?.[0]?.state.terminated?.message ?? '', /PASSED: 2 probes passed in/);
  assert.deepEqual(conditions(job), [
    ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
  ]);
  assert.equal(job.status.succeeded, 1);
  const argo = argoHealth(job);
  assert.deepEqual([argo.isHook, argo.hookTypes, argo.deletePolicies], [true, ['PostSync'], ['BeforeHookCreation']]);
  assert.deepEqual([argo.health, argo.message, argo.phase], ['Healthy', 'Reached expected number of succeeded pods', 'Succeeded']);
  const argoPod = argoHealth(pod);
  assert.deepEqual([argoPod.health, argoPod.phase], ['Healthy', 'Succeeded']);
});

for (const [code, release, what, args] of [
  [1, 'fails', 'a critical probe failed', () => ['-f', join(IMAGE_VALUES, 'fail-values.yaml')]],
  [2, 'misconfigured', 'a configuration error (an unset ${env:})', () => ['-f', join(IMAGE_VALUES, 'pass-values.yaml'), '-f', values('no-env', 'env: []\n')]],
  [3, 'crashes', 'an internal error', () => ['-f', join(IMAGE_VALUES, 'pass-values.yaml'), '--set-string', `podLabels.${INTERNAL_ERROR_LABEL.replaceAll('.', '\\.')}=yes`]],
] as const) {
  test(`exit ${code} (${what}): the Job fails at once by the FailJob rule, naming the exit code; Argo CD shows Degraded and Failed`, async () => {
    const { job, pods } = await runJob(release, args());
    assert.equal(pods.length, 1, 'one attempt');
    const pod = pods[0] as KubeObject & { status: PodStatus };
    const terminated = pod.status.containerStatuses?.[0]?.state.terminated;
    assert.equal(terminated?.exitCode, code);
    const message = failJob(pod.metadata.name, code);
    assert.deepEqual(conditions(job), [['FailureTarget', 'True', 'PodFailurePolicy', message], ['Failed', 'True', 'PodFailurePolicy', message]]);
    assert.equal(job.status.failed, 1);
    const argo = argoHealth(job);
    assert.deepEqual([argo.health, argo.message, argo.phase, argo.phaseMessage], ['Degraded', message, 'Failed', message]);
    // A bare Pod hook (hook.kind: Pod) is judged by its own health: the termination message, or
    // gitops-engine's "failed with exit code" line when there is none.
    const argoPod = argoHealth(pod);
    assert.equal(argoPod.health, 'Degraded');
    if (code === 1) assert.match(argoPod.message, /^FAILED: 1 of 2 probes failed in .*\n.*✗ readiness: status = 503 \(expected == 200\)/s);
    if (code === 2) assert.match(argoPod.message, /TARGET_URL/);
    if (code === 3) assert.equal(argoPod.message, 'container "syncproof" failed with exit code 3');
  });
}

test('an eviction: the evicted Pod is ignored (DisruptionTarget), a new Pod runs, and the Job completes', async () => {
  const suite = values('eviction', `
suite:
  suite: eviction
  deadline: 2m
  probes:
    - name: slow health
      type: http
      url: http://127.0.0.1:${(slow.address() as import('node:net').AddressInfo).port}/healthz
      timeout: 90s
`);
  const release = 'evicted';
  const name = `${release}-syncproof`;
  const finished = runJob(release, ['-f', suite]);
  await waitFor('the first run to be in progress', async () => slowRequests >= 1, 90_000);
  const [first] = await cp.api.list('v1', 'Pod', NS, `batch.kubernetes.io/job-name=${name}`);
  assert.ok(first);
  await cp.api.call('POST', `/api/v1/namespaces/${NS}/pods/${first.metadata.name}/eviction`, {
    apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: first.metadata.name, namespace: NS } });
  const { job } = await finished;
  const runs = node.runs.filter((r) => r.pod.startsWith(`${name}-`));
  assert.equal(runs.length, 2, 'the evicted run, then a new Pod');
  const [evicted, rerun] = runs as [typeof runs[number], typeof runs[number]];
  assert.equal(evicted.pod, first.metadata.name);
  assert.deepEqual([evicted.stopped, evicted.exitCode], [true, 1], 'SIGTERM: syncproof aborts and exits 1');
  assert.match(evicted.terminationMessage, /ABORTED|aborted/);
  assert.ok(evicted.conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'EvictionByEvictionAPI'), JSON.stringify(evicted.conditions));
  assert.notEqual(rerun.pod, evicted.pod);
  assert.equal(rerun.exitCode, 0);
  assert.deepEqual(conditions(job).map((c) => c[0]), ['SuccessCriteriaMet', 'Complete']);
  assert.equal(job.status.failed ?? 0, 0, 'an ignored failure is not counted');
  assert.equal(argoHealth(job).health, 'Healthy');
});
