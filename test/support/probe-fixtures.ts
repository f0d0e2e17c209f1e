// How each registered probe type is pointed at a loopback peer: the smallest spec of the type that reaches
// 127.0.0.1:port. Tests made from the registry (src/probes/index.ts) take their specs from here, so a new
// type fails them until it has an entry.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a type reaches its peer: `tcp` for everything that dials TCP (HTTP, TLS, the databases, the brokers,
 * the Kubernetes API over HTTPS), `udp` for dns, which asks a server over UDP and has no TCP option.
 * `spec` is the smallest spec of the type that points at 127.0.0.1:port; `dir` is a temp dir for files it needs.
 */
export interface Fixture {
  readonly peer: 'tcp' | 'udp';
  /** tcp only connects: a peer that accepts has answered it, so the silent peer is an observation, not a timeout. */
  readonly acceptIsAnswer?: true;
  spec(port: number, dir: string): Record<string, unknown>;
}

export const FIXTURES: Readonly<Record<string, Fixture>> = {
  http: { peer: 'tcp', spec: (port) => ({ url: `http://127.0.0.1:${port}/healthz` }) },
  tcp: { peer: 'tcp', acceptIsAnswer: true, spec: (port) => ({ host: '127.0.0.1', port }) },
  dns: { peer: 'udp', spec: (port) => ({ query: 'orders.test', server: `127.0.0.1:${port}` }) },
  tls: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port }) },
  postgres: { peer: 'tcp', spec: (port) => ({ url: `postgres://monitor@127.0.0.1:${port}/orders` }) },
  mysql: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port, user: 'monitor' }) },
  redis: { peer: 'tcp', spec: (port) => ({ url: `redis://127.0.0.1:${port}` }) },
  grpc: { peer: 'tcp', spec: (port) => ({ host: '127.0.0.1', port }) },
  rabbitmq: { peer: 'tcp', spec: (port) => ({ url: `amqp://127.0.0.1:${port}` }) },
  nats: { peer: 'tcp', spec: (port) => ({ servers: [`127.0.0.1:${port}`] }) },
  kafka: { peer: 'tcp', spec: (port) => ({ brokers: [`127.0.0.1:${port}`] }) },
  prometheus: { peer: 'tcp', spec: (port) => ({ url: `http://127.0.0.1:${port}`, query: 'up' }) },
  kubernetes: {
    peer: 'tcp',
    spec: (port, dir) => {
      const kubeconfig = join(dir, `kubeconfig-${port}`);
      writeFileSync(kubeconfig, JSON.stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'silent',
        clusters: [{ name: 'silent', cluster: { server: `https://127.0.0.1:${port}` } }],
        users: [{ name: 'verifier', user: { token: 'a-token-of-twenty-chars' } }],
        contexts: [{ name: 'silent', context: { cluster: 'silent', user: 'verifier' } }],
      }));
      return { kind: 'Deployment', object: 'orders', kubeconfig };
    },
  },
};

export function fixtureOf(type: string): Fixture {
  const fixture = FIXTURES[type];
  assert.ok(fixture, `probe type ${type} has no entry in FIXTURES of test/support/probe-fixtures.ts: say how to point it at a loopback peer`);
  return fixture;
}
