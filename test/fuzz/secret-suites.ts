// Valid suites that carry a secret reference (`${env:…}` or `${file:…}`) in every string field of every
// probe and sink type. `loud` secrets hold URL/JSON/XML-special characters; where the field's syntax
// cannot hold those (a URL's password, a header name, an SQL identifier, a method), a `plain` one.
import { stringify } from 'yaml';

export type Alphabet = 'loud' | 'plain';
/** How a field holds its secret reference `ref`, given the ports of the test's targets. */
type Placement = (ref: string, at: Targets) => { readonly spec: Record<string, unknown>; readonly alphabet: Alphabet };

export interface Targets {
  /** A port nothing listens on. */
  readonly refused: number;
  /** The local echo server (HTTP) and the receiver of sink deliveries. */
  readonly echo: number;
  readonly receiver: number;
  /** Where file sinks write. */
  readonly dir: string;
}

const loud = (spec: Record<string, unknown>) => ({ spec, alphabet: 'loud' as const });
const plain = (spec: Record<string, unknown>) => ({ spec, alphabet: 'plain' as const });
const httpAt = (t: Targets) => `http://127.0.0.1:${t.refused}/`;
const pgAt = (t: Targets) => `postgres://app@127.0.0.1:${t.refused}/app`;
const myAt = (t: Targets) => `mysql://app@127.0.0.1:${t.refused}/app`;
const redisAt = (t: Targets) => `redis://127.0.0.1:${t.refused}/0`;
const grpcAt = (t: Targets) => ({ host: '127.0.0.1', port: t.refused });
const amqpAt = (t: Targets) => `amqp://app@127.0.0.1:${t.refused}/`;
const natsAt = (t: Targets) => ({ servers: [`127.0.0.1:${t.refused}`] });
const kafkaAt = (t: Targets) => ({ brokers: [`127.0.0.1:${t.refused}`] });

const sql = (at: (t: Targets) => string): Record<string, Placement> => ({
  url: (r, t) => plain({ url: at(t).replace('://app@', `://app:${r}@`) }),
  host: (r, t) => loud({ host: r, port: t.refused }),
  user: (r, t) => loud({ url: at(t), user: r }),
  database: (r, t) => loud({ url: at(t), database: r }),
  password: (r, t) => loud({ url: at(t), password: r }),
  ca: (r, t) => loud({ url: at(t), ssl: 'verify', ca: r }),
  query: (r, t) => loud({ url: at(t), query: r }),
  'params[]': (r, t) => loud({ url: at(t), query: 'select $1', params: [r] }),
  'writeCheck.table': (r, t) => plain({ url: at(t), writeCheck: { table: `t${r}` } }),
});

export const PROBE_PLACEMENTS: Readonly<Record<string, Readonly<Record<string, Placement>>>> = {
  prometheus: {
    url: (r, t) => plain({ url: `http://user:${r}@127.0.0.1:${t.refused}/`, query: 'up' }),
    query: (r, t) => loud({ url: httpAt(t), query: r }),
    'headers.*': (r, t) => loud({ url: httpAt(t), query: 'up', headers: { authorization: `Bearer ${r}` } }),
    'tls.ca': (r, t) => loud({ url: `https://127.0.0.1:${t.refused}/`, query: 'up', tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ url: `https://127.0.0.1:${t.refused}/`, query: 'up', tls: { serverName: r } }),
  },
  kubernetes: {
    kubeconfig: (r, t) => loud({ kind: 'Deployment', object: 'orders', kubeconfig: `${t.dir}/kubeconfig-${r}` }),
  },
  http: {
    url: (r, t) => plain({ url: `http://user:${r}@127.0.0.1:${t.refused}/` }),
    method: (r, t) => plain({ url: httpAt(t), method: r }),
    'headers.*': (r, t) => loud({ url: httpAt(t), headers: { authorization: `Bearer ${r}` } }),
    body: (r, t) => loud({ url: httpAt(t), method: 'POST', body: r }),
    'tls.ca': (r, t) => loud({ url: `https://127.0.0.1:${t.refused}/`, tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ url: `https://127.0.0.1:${t.echo}/`, tls: { serverName: r } }),
  },
  tcp: { host: (r, t) => loud({ host: r, port: t.refused }) },
  dns: {
    query: (r, t) => loud({ query: r, server: `127.0.0.1:${t.refused}` }),
    server: (r) => plain({ query: 'example.test', server: `${r}.invalid:53` }),
  },
  tls: {
    host: (r, t) => loud({ host: r, port: t.refused }),
    serverName: (r, t) => loud({ host: '127.0.0.1', port: t.echo, serverName: r }),
    ca: (r, t) => loud({ host: '127.0.0.1', port: t.echo, ca: r }),
  },
  postgres: sql(pgAt),
  mysql: { ...sql(myAt), 'params[]': (r, t) => loud({ url: myAt(t), query: 'select ?', params: [r] }) },
  redis: {
    url: (r, t) => plain({ url: redisAt(t).replace('://', `://u:${r}@`) }),
    username: (r, t) => loud({ url: redisAt(t), username: r }),
    password: (r, t) => loud({ url: redisAt(t), password: r }),
    'tls.ca': (r, t) => loud({ url: `rediss://127.0.0.1:${t.refused}/0`, tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ url: `rediss://127.0.0.1:${t.refused}/0`, tls: { serverName: r } }),
    'command[]': (r, t) => loud({ url: redisAt(t), command: ['GET', r] }),
  },
  grpc: {
    host: (r, t) => plain({ host: `${r}.invalid`, port: t.refused }),
    service: (r, t) => loud({ ...grpcAt(t), service: r }),
    'tls.ca': (r, t) => loud({ ...grpcAt(t), tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ ...grpcAt(t), tls: { serverName: r } }),
    'metadata.*': (r, t) => loud({ ...grpcAt(t), metadata: { authorization: `Bearer ${r}` } }),
  },
  rabbitmq: {
    url: (r, t) => plain({ url: amqpAt(t).replace('://app@', `://app:${r}@`) }),
    password: (r, t) => loud({ url: amqpAt(t), password: r }),
    'tls.ca': (r, t) => loud({ url: `amqps://127.0.0.1:${t.refused}/`, tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ url: `amqps://127.0.0.1:${t.refused}/`, tls: { serverName: r } }),
    queue: (r, t) => loud({ url: amqpAt(t), queue: r }),
  },
  nats: {
    'servers[]': (r, t) => plain({ servers: [`nats://u:${r}@127.0.0.1:${t.refused}`] }),
    user: (r, t) => loud({ ...natsAt(t), user: r }),
    password: (r, t) => loud({ ...natsAt(t), user: 'u', password: r }),
    token: (r, t) => loud({ ...natsAt(t), token: r }),
    creds: (r, t) => loud({ ...natsAt(t), creds: `-----BEGIN NATS USER JWT-----\n${r}\n------END NATS USER JWT------\n` }),
    'tls.ca': (r, t) => loud({ ...natsAt(t), tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ ...natsAt(t), tls: { serverName: r } }),
    stream: (r, t) => plain({ ...natsAt(t), stream: r }),
    consumer: (r, t) => plain({ ...natsAt(t), stream: 'S', consumer: r }),
    'writeCheck.subject': (r, t) => plain({ ...natsAt(t), stream: 'S', writeCheck: { subject: `canary.${r}` } }),
  },
  kafka: {
    'brokers[]': (r, t) => plain({ brokers: [`${r}.invalid:${t.refused}`] }),
    'sasl.username': (r, t) => loud({ ...kafkaAt(t), sasl: { mechanism: 'PLAIN', username: r, password: 'pw' } }),
    'sasl.password': (r, t) => loud({ ...kafkaAt(t), sasl: { mechanism: 'PLAIN', username: 'u', password: r } }),
    'tls.ca': (r, t) => loud({ ...kafkaAt(t), tls: { ca: r } }),
    'tls.serverName': (r, t) => loud({ ...kafkaAt(t), tls: { serverName: r } }),
    group: (r, t) => loud({ ...kafkaAt(t), group: r }),
    topic: (r, t) => plain({ ...kafkaAt(t), group: 'g', topic: r }),
  },
};

/** Every sink delivers somewhere the test can read, or to a refused port. */
export const SINK_PLACEMENTS: Readonly<Record<string, Readonly<Record<string, Placement>>>> = {
  webhook: {
    url: (r, t) => plain({ url: `http://hook:${r}@127.0.0.1:${t.receiver}/hook` }),
    'headers.*': (r, t) => loud({ url: `http://127.0.0.1:${t.receiver}/hook`, headers: { authorization: r } }),
    secret: (r, t) => loud({ url: `http://127.0.0.1:${t.receiver}/hook`, secret: r }),
  },
  slack: { url: (r, t) => plain({ url: `http://127.0.0.1:${t.receiver}/services/${r}` }) },
  postgres: {
    url: (r, t) => plain({ url: `postgres://runs:${r}@127.0.0.1:${t.refused}/runs` }),
    password: (r, t) => loud({ url: `postgres://runs@127.0.0.1:${t.refused}/runs`, password: r }),
    ca: (r, t) => loud({ url: `postgres://runs@127.0.0.1:${t.refused}/runs`, ssl: 'verify', ca: r }),
    table: (r, t) => plain({ url: `postgres://runs@127.0.0.1:${t.refused}/runs`, table: `t${r}` }),
  },
  file: { path: (r, t) => plain({ path: `${t.dir}/record-${r}.json` }) },
  pushgateway: {
    url: (r, t) => plain({ url: `http://push:${r}@127.0.0.1:${t.receiver}/` }),
    'headers.*': (r, t) => loud({ url: `http://127.0.0.1:${t.receiver}/`, headers: { authorization: r } }),
  },
};

/** Where no secret can go: a duration, and map keys (the loader interpolates values, not keys). */
export const NO_SECRET_FIELDS: ReadonlySet<string> = new Set([
  'sink webhook.timeout', 'sink webhook.headers.<key>', 'probe http.headers.<key>', 'probe http.body.<key>', 'sink pushgateway.headers.<key>',
  'probe grpc.metadata.<key>', 'probe prometheus.headers.<key>', 'probe prometheus.range', 'probe prometheus.step',
  // Kubernetes names (DNS labels, kinds, group/version): their grammar fits no secret reference, and none is one.
  'probe kubernetes.kind', 'probe kubernetes.apiVersion', 'probe kubernetes.object', 'probe kubernetes.namespace',
]);

export interface Slot {
  /** `probe http.url`, `sink file.path`… */
  readonly field: string;
  readonly alphabet: Alphabet;
  /** Builds the entry around the reference to this slot's secret. */
  readonly build: (ref: string) => Record<string, unknown>;
}

export function slots(at: Targets): Slot[] {
  const out: Slot[] = [];
  for (const [kind, table] of [['probe', PROBE_PLACEMENTS], ['sink', SINK_PLACEMENTS]] as const) {
    for (const [type, fields] of Object.entries(table)) {
      for (const [path, place] of Object.entries(fields)) {
        out.push({ field: `${kind} ${type}.${path}`, alphabet: place('', at).alphabet, build: (ref) => ({ type, ...place(ref, at).spec }) });
      }
    }
  }
  return out;
}

/** The failing suite: one probe per probe slot, all against refused or bogus targets, and every sink. */
export function failingSuite(entries: readonly { slot: Slot; ref: string }[]): string {
  const probes = entries.filter((e) => e.slot.field.startsWith('probe '))
    .map((e, i) => ({ name: `p${i} ${e.slot.field.slice(6)}`, ...e.slot.build(e.ref) }));
  const sinks = entries.filter((e) => e.slot.field.startsWith('sink ')).map((e) => ({ on: 'always', ...e.slot.build(e.ref) }));
  return stringify({ suite: 'secrets-failing', concurrency: 64, deadline: '60s', defaults: { within: '0s', timeout: '3s' }, probes, sinks });
}

/** The passing suite: real requests to the echo server that carry secrets, and sinks that deliver. */
export function passingSuite(refs: { loud: readonly string[]; plain: readonly string[] }, at: Targets): string {
  const [l0, l1, l2, l3] = refs.loud as [string, string, string, string];
  const [p0, p1, p2] = refs.plain as [string, string, string];
  const echo = `http://127.0.0.1:${at.echo}`;
  return stringify({
    suite: 'secrets-passing',
    defaults: { within: '0s', timeout: '5s' },
    probes: [
      { name: 'echo', type: 'http', url: `${echo}/echo?token=${p0}`, method: 'POST', headers: { authorization: `Bearer ${l0}`, 'x-token': l1 }, body: `${l2} ${p1}`,
        expect: ['status == 200', `body contains "${p1}"`, 'json.headers.authorization contains "Bearer"'] },
      { name: 'echo json', type: 'http', url: `${echo}/json`, method: 'PUT', body: { token: l3, nested: { list: [p2] } }, expect: ['status == 200', 'json.body != null'] },
      { name: 'port', type: 'tcp', host: '127.0.0.1', port: at.echo },
    ],
    sinks: [
      { type: 'webhook', url: `http://127.0.0.1:${at.receiver}/hook`, headers: { authorization: l0 }, secret: l1 },
      { type: 'slack', on: 'always', url: `http://127.0.0.1:${at.receiver}/services/${p0}` },
      { type: 'file', path: `${at.dir}/passing-record.json` },
    ],
  });
}
