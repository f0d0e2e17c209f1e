// A small client for the real kube-apiserver the tests start (test/support/kube/control-plane.ts):
// HTTPS with the test CA and a bearer token, resources found by discovery, server-side apply.
import { Agent, request } from 'undici';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>;
    deletionTimestamp?: string; generateName?: string; ownerReferences?: Array<{ kind: string; name: string }>;
  };
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/** A refusal from the API server: its HTTP status and the Status object's reason and message. */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(`${status} ${reason}: ${message}`);
    this.status = status;
    this.reason = reason;
  }
}

interface Resource { name: string; namespaced: boolean }
export interface Reply<T> { body: T; warnings: string[] }
type Query = Record<string, string | undefined>;

export class KubeApi {
  private readonly agent: Agent;
  private readonly resources = new Map<string, Map<string, Resource>>();

  readonly url: string;
  private readonly token: string;

  constructor(url: string, ca: string, token: string) {
    this.url = url;
    this.token = token;
    this.agent = new Agent({ connect: { ca } });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async call<T = KubeObject>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply<T>> {
    const reply = await request(`${this.url}${path}`, {
      method: method as 'GET',
      dispatcher: this.agent,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await reply.body.text();
    // JSON for the API; /readyz and friends answer plain text.
    const parsed: unknown = /^\s*[[{]/.test(text) ? JSON.parse(text) : text;
    const warning = reply.headers.warning;
    const warnings = (Array.isArray(warning) ? warning : warning ? [warning] : []).map((w) => w.replace(/^299 - "?|"$/g, '').replaceAll('\\"', '"'));
    if (reply.statusCode >= 400) {
      const status = parsed as { reason?: string; message?: string };
      throw new KubeError(reply.statusCode, status.reason ?? '', status.message ?? text);
    }
    return { body: parsed as T, warnings };
  }

  /** The REST path of an object (or, without a name, of its collection). */
  async path(apiVersion: string, kind: string, namespace: string | undefined, name?: string, query: Query = {}): Promise<string> {
    const resource = await this.resource(apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = resource.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return `${base}${ns}/${resource.name}${name ? `/${name}` : ''}${q ? `?${q}` : ''}`;
  }

  /** Server-side apply, fields validated strictly (an unknown field is an error); `dryRun`: admitted, not stored. */
  async apply(object: KubeObject, options: { namespace?: string; dryRun?: boolean } = {}): Promise<Reply<KubeObject>> {
    const namespace = object.metadata.namespace ?? options.namespace;
    const path = await this.path(object.apiVersion, object.kind, namespace, object.metadata.name,
      { fieldManager: 'syncproof-tests', fieldValidation: 'Strict', force: 'true', dryRun: options.dryRun ? 'All' : undefined });
    return this.call('PATCH', path, { ...object, metadata: { ...object.metadata, namespace } }, 'application/apply-patch+yaml');
  }

  async create(object: KubeObject, options: { namespace?: string; dryRun?: boolean } = {}): Promise<Reply<KubeObject>> {
    const namespace = object.metadata.namespace ?? options.namespace;
    const path = await this.path(object.apiVersion, object.kind, namespace, undefined, { fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined });
    return this.call('POST', path, object);
  }

  async get<T = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<T> {
    return (await this.call<T>('GET', await this.path(apiVersion, kind, namespace, name))).body;
  }

  async list<T = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<T[]> {
    const { items } = (await this.call<{ items: T[] }>('GET', await this.path(apiVersion, kind, namespace, undefined, { labelSelector }))).body;
    // A list's items carry no apiVersion and kind: give them theirs, as a GET of each would.
    return items.map((item) => ({ apiVersion, kind, ...item }));
  }

  private async resource(apiVersion: string, kind: string): Promise<Resource> {
    let kinds = this.resources.get(apiVersion);
    if (!kinds) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const { body } = await this.call<{ resources: Array<Resource & { kind: string }> }>('GET', base);
      kinds = new Map(body.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { name: r.name, namespaced: r.namespaced }]));
      this.resources.set(apiVersion, kinds);
    }
    const resource = kinds.get(kind);
    if (!resource) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
    return resource;
  }
}
