// Where the API is and how to authenticate: the Pod's service account in a cluster, or a kubeconfig outside.
import { dirname, resolve } from 'node:path';
import { registerSecret } from '../../secrets.ts';
import { readCredentialFile } from './files.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ApiEndpoint {
  /** `https://10.96.0.1:443`, without a trailing slash. */
  readonly server: string;
  readonly ca: string | undefined;
  readonly insecure: boolean;
  readonly token: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  /** The namespace the credentials belong to (service account) or the context names. */
  readonly namespace: string | undefined;
}

export type Resolved = { readonly ok: true; readonly endpoint: ApiEndpoint } | { readonly ok: false; readonly error: string };

/** The Pod's service account: the API's address from the environment Kubernetes gives every container. */
export async function inCluster(env: NodeJS.ProcessEnv = process.env): Promise<Resolved> {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) return { ok: false, error: 'not running in a cluster (no KUBERNETES_SERVICE_HOST): set `kubeconfig` to run outside one' };
  const token = await readCredentialFile(`${SERVICE_ACCOUNT_DIR}/token`, 'service account token');
  if (!token.ok) return { ok: false, error: `${token.error}: the Pod has no service account token (the chart mounts one when kubernetes access is on)` };
  const ca = await readCredentialFile(`${SERVICE_ACCOUNT_DIR}/ca.crt`, 'service account CA');
  if (!ca.ok) return ca;
  const namespace = await readCredentialFile(`${SERVICE_ACCOUNT_DIR}/namespace`, 'service account namespace');
  registerSecret(token.text.trim());
  return {
    ok: true,
    endpoint: {
      server: `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT || '443'}`,
      ca: ca.text, insecure: false, token: token.text.trim(), cert: undefined, key: undefined,
      namespace: namespace.ok ? namespace.text.trim() : undefined,
    },
  };
}

type Entry<T> = { readonly name?: unknown } & { readonly [key: string]: T | unknown };
type Obj = Readonly<Record<string, unknown>>;

/** The current context's cluster and user. Exec and auth-provider plugins are not run: a token or a client certificate is needed. */
export async function fromKubeconfig(path: string): Promise<Resolved> {
  const file = await readCredentialFile(path, 'kubeconfig');
  if (!file.ok) return file;
  // Imported here, not at the top: a suite without a kubeconfig never loads the yaml package for it.
  const { parse } = await import('yaml');
  let config: Obj;
  try {
    const parsed: unknown = parse(file.text, { logLevel: 'silent', maxAliasCount: 10 });
    config = isObj(parsed) ? parsed : {};
  } catch {
    return { ok: false, error: `kubeconfig is not valid YAML (${path})` };
  }
  const named = (list: unknown, name: unknown, field: string): Obj | undefined => {
    const entry = Array.isArray(list) ? (list as Entry<Obj>[]).find((e) => isObj(e) && e.name === name) : undefined;
    const value = entry?.[field];
    return isObj(value) ? value : undefined;
  };
  const context = named(config.contexts, config['current-context'], 'context');
  if (!context) return { ok: false, error: `kubeconfig has no current context (${path})` };
  const cluster = named(config.clusters, context.cluster, 'cluster');
  const user = named(config.users, context.user, 'user') ?? {};
  if (!cluster || typeof cluster.server !== 'string') return { ok: false, error: `kubeconfig's current context names no cluster with a server (${path})` };
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    return { ok: false, error: `kubeconfig user "${String(context.user)}" authenticates with a plugin, which syncproof does not run: give it a token or a client certificate (${path})` };
  }
  const base = dirname(path);
  const material = async (data: unknown, file: unknown, what: string): Promise<{ ok: true; text: string | undefined } | { ok: false; error: string }> => {
    if (typeof data === 'string') return { ok: true, text: Buffer.from(data, 'base64').toString('utf8') };
    if (typeof file !== 'string') return { ok: true, text: undefined };
    const read = await readCredentialFile(resolve(base, file), what);
    return read.ok ? { ok: true, text: read.text } : read;
  };
  const ca = await material(cluster['certificate-authority-data'], cluster['certificate-authority'], 'kubeconfig CA');
  const cert = await material(user['client-certificate-data'], user['client-certificate'], 'client certificate');
  const key = await material(user['client-key-data'], user['client-key'], 'client key');
  const tokenFile = typeof user.tokenFile === 'string' ? await readCredentialFile(resolve(base, user.tokenFile), 'token file') : undefined;
  for (const read of [ca, cert, key, ...(tokenFile ? [tokenFile] : [])]) if (!read.ok) return read;
  const token = typeof user.token === 'string' ? user.token : tokenFile?.ok ? tokenFile.text.trim() : undefined;
  if (token) registerSecret(token);
  if (key.ok && key.text) registerSecret(key.text.trim());
  return {
    ok: true,
    endpoint: {
      server: cluster.server.replace(/\/+$/, ''),
      ca: ca.ok ? ca.text : undefined,
      insecure: cluster['insecure-skip-tls-verify'] === true,
      token, cert: cert.ok ? cert.text : undefined, key: key.ok ? key.text : undefined,
      namespace: typeof context.namespace === 'string' ? context.namespace : undefined,
    },
  };
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
