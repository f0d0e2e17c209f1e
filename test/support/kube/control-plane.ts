// A real Kubernetes control plane for tests, on loopback in a temp dir: etcd, kube-apiserver and
// kube-controller-manager, built from their Go modules by tools/go-tools.sh (pinned there). The
// API server has temporary certificates (test/support/certs.ts), a token file (an admin token for
// the tests, one for the controller manager), RBAC and its default admission plugins, Pod Security
// among them. There is no scheduler and no kubelet: the tests play the node (test/kube/node.ts).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { goToolPaths } from '../../../tools/prerequisites/checks.ts';
import { makeCerts } from '../certs.ts';
import { freePort } from '../net.ts';
import { KubeApi } from './api.ts';

const run = promisify(execFile);
/** The controllers a Job needs: its own, service accounts (the namespace's `default`), GC, TTL. */
const CONTROLLERS = 'job-controller,serviceaccount-controller,garbage-collector-controller,ttl-after-finished-controller';

export interface ControlPlane {
  readonly api: KubeApi;
  readonly dir: string;
  /** A kubeconfig with the admin token, for real clients such as helm. */
  readonly kubeconfig: string;
  /** A restricted-Pod-Security namespace, created and labelled. */
  namespace(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startControlPlane(): Promise<ControlPlane> {
  const tools = goToolPaths();
  const certs = await makeCerts();
  const dir = await mkdtemp(join(tmpdir(), 'syncproof-kube-'));
  const children: ChildProcess[] = [];
  const logs = (name: string) => join(dir, `${name}.log`);
  const start = (name: string, args: string[]): ChildProcess => {
    const bin = tools.get(name);
    if (!bin) throw new Error(`tools/go-tools.sh knows no ${name}`);
    const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.pipe(createWriteStream(logs(name)));
    children.push(child);
    return child;
  };
  const stop = async (): Promise<void> => {
    await api?.close();
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }
    await rm(dir, { recursive: true, force: true });
    await certs.remove();
  };
  let api: KubeApi | undefined;
  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(dir, 'sa.key')]);
    await run('openssl', ['pkey', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')]);
    const admin = randomBytes(16).toString('hex');
    const controllers = randomBytes(16).toString('hex');
    await writeFile(join(dir, 'tokens.csv'), `${admin},syncproof-tests,1,"system:masters"\n${controllers},kube-controller-manager,2,"system:masters"\n`, { mode: 0o600 });
    const url = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = (token: string) => JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
      clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority': certs.caPath } }],
      users: [{ name: 'user', user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'user' } }],
    });
    await writeFile(join(dir, 'kcm.kubeconfig'), kubeconfig(controllers), { mode: 0o600 });
    await writeFile(join(dir, 'admin.kubeconfig'), kubeconfig(admin), { mode: 0o600 });

    const etcd = start('etcd', ['--data-dir', join(dir, 'etcd'), '--name', 'test', '--unsafe-no-fsync', '--log-level', 'warn',
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `test=http://127.0.0.1:${etcdPeer}`, '--listen-metrics-urls', '']);
    const apiserver = start('kube-apiserver', ['--etcd-servers', `http://127.0.0.1:${etcdClient}`,
      '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--secure-port', String(apiPort),
      '--tls-cert-file', join(certs.dir, 'valid.pem'), '--tls-private-key-file', join(certs.dir, 'valid.key'),
      '--token-auth-file', join(dir, 'tokens.csv'), '--authorization-mode', 'RBAC',
      '--service-account-issuer', 'https://kubernetes.default.svc', '--service-account-key-file', join(dir, 'sa.pub'),
      '--service-account-signing-key-file', join(dir, 'sa.key'),
      // Allocated to Service objects only; no traffic goes there (no kube-proxy, no Service is called).
      '--service-cluster-ip-range', '10.96.0.0/24', '--endpoint-reconciler-type', 'none',
      '--profiling=false', '--enable-priority-and-fairness=false', '--cert-dir', join(dir, 'apiserver-certs')]);
    api = new KubeApi(url, certs.ca, admin);
    await ready('kube-apiserver', apiserver, logs('kube-apiserver'), async () => (await api?.call<string>('GET', '/readyz'))?.body === 'ok', [etcd]);
    const kcm = start('kube-controller-manager', ['--kubeconfig', join(dir, 'kcm.kubeconfig'), '--controllers', CONTROLLERS,
      '--leader-elect=false', '--bind-address', '127.0.0.1', '--secure-port', '0', '--use-service-account-credentials=false',
      '--concurrent-job-syncs', '2']);
    const client = api;
    // The serviceaccount controller creating `default` in kube-system shows the manager is working.
    await ready('kube-controller-manager', kcm, logs('kube-controller-manager'), async () => (await client.get('v1', 'ServiceAccount', 'kube-system', 'default')).metadata.name === 'default');
    return {
      api: client,
      dir,
      kubeconfig: join(dir, 'admin.kubeconfig'),
      async namespace(name) {
        await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: {
          'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest' } } });
        await waitFor(`ServiceAccount ${name}/default`, async () => (await client.get('v1', 'ServiceAccount', name, 'default').catch(() => undefined)) !== undefined);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ready(name: string, child: ChildProcess, log: string, probe: () => Promise<boolean>, others: ChildProcess[] = []): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    for (const c of [child, ...others]) if (c.exitCode !== null) throw new Error(`${name} exited ${c.exitCode}: ${tail(log)}`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${name} not ready in 90 s: ${tail(log)}`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
