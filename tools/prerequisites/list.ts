// Everything `npm test` needs that npm does not install: ONE list, one line per thing.
// tools/prerequisites/check.ts (run first by `npm test` and by .ci/run) checks each, installs what
// it may (Debian packages when root with apt-get; the Go-built tools always, into the cache), and
// otherwise stops with one line naming what is missing and how to get it.
//
// To add one: a line below. `debian` names the package that brings it; `build` a command that makes
// it (run from the repo root); `how` what a person does when neither can run here.
import { command, file, goTool, goVersion, image, npmCache, type Prerequisite } from './checks.ts';

export const PREREQUISITES: readonly Prerequisite[] = [
  { name: 'dnsmasq', present: file('/usr/sbin/dnsmasq'), debian: 'dnsmasq-base', for: 'the DNS probe and lookup tests' },
  { name: 'openssl', present: command('openssl'), debian: 'openssl', for: 'test certificates' },
  { name: 'ip', present: command('ip'), debian: 'iproute2', for: 'network-namespace tests' },
  { name: 'postgres 15', present: file('/usr/lib/postgresql/15/bin/initdb'), debian: 'postgresql', for: 'the postgres probe tests' },
  { name: 'mariadbd', present: file('/usr/sbin/mariadbd'), debian: 'mariadb-server', for: 'the mysql probe tests' },
  { name: 'redis-server', present: command('redis-server'), debian: 'redis-server', for: 'the redis probe tests' },
  { name: 'podman', present: command('podman'), debian: 'podman', for: 'the node that runs the Job\'s Pod (test/kube)' },
  { name: 'runc', present: command('runc'), debian: 'runc', for: 'podman\'s runtime' },
  { name: 'buildah', present: command('buildah'), debian: 'buildah', for: 'building the image' },
  { name: 'debootstrap', present: command('debootstrap'), debian: 'debootstrap', for: 'the image\'s base-image stand-in' },
  { name: 'go ≥ 1.26', present: goVersion(1, 26), how: 'install Go 1.26 or later (go.dev/doc/install) and put it on PATH', for: 'building helm, kustomize and the control plane' },
  { name: 'helm', present: goTool('helm'), build: ['bash', 'tools/go-tools.sh', 'helm'], for: 'test/chart' },
  { name: 'kustomize', present: goTool('kustomize'), build: ['bash', 'tools/go-tools.sh', 'kustomize'], for: 'test/chart/hooks' },
  { name: 'etcd', present: goTool('etcd'), build: ['bash', 'tools/go-tools.sh', 'etcd'], for: 'test/kube' },
  { name: 'kube-apiserver and kube-controller-manager', present: goTool('kube-apiserver'), build: ['bash', 'tools/go-tools.sh', 'kube'], for: 'test/kube' },
  { name: 'argo-health', present: goTool('argo-health'), build: ['bash', 'tools/go-tools.sh', 'argo-health'], for: 'test/kube (Argo CD\'s health code)' },
  { name: 'Kubernetes schemas', present: npmCache(), build: ['bash', 'tools/k8s-schemas.sh'], for: 'test/chart (offline schema checks)' },
  { name: 'image localhost/syncproof:ci', present: image('localhost/syncproof:ci'), build: ['bash', '.ci/image-check', '--build-only'], root: true,
    how: 'as root: bash .ci/image-check --build-only', for: 'test/kube (the Pod the node runs)' },
];
