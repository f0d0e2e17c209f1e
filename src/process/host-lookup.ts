// Host-name lookups (getaddrinfo) in a helper process, for every socket of the run: probes, drivers and sinks.
//
// Why: getaddrinfo() runs on libuv's threadpool and cannot be cancelled; an aborted attempt only stops
// waiting. Worse, process.exit() joins the threadpool's threads (uv_library_shutdown), so one lookup
// stuck on a resolver that never answers held the finished run's exit for the resolver's whole timeout
// (attempts × timeout × search domains: 60 s and more), past deadline + grace. In a helper the same
// lookup keeps glibc's exact semantics (/etc/hosts, nsswitch, search, ndots, error codes), and the helper
// is killed when the run exits. Every connect by name goes through `dns.lookup`, which is replaced here.
import type { ChildProcess } from 'node:child_process';
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadBuiltins } from './v8-tuning.ts';

export interface LookupRequest {
  readonly id: number;
  readonly hostname: string;
  readonly options: LookupOptions;
}

export type LookupReply =
  | { readonly id: number; readonly ok: true; readonly addresses: readonly LookupAddress[] }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code?: string; readonly message: string; readonly syscall?: string } };

/** What the helper sends: `ready` once, when it takes requests, then one reply per request. */
export type HelperMessage = LookupReply | { readonly ready: true };

type Callback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// The helper runs as TypeScript from src/ and as JavaScript from dist/, like this file.
const HELPER = fileURLToPath(new URL(`./host-lookup-helper${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
/** Lookups in flight at once in the helper (libuv runs at most half its pool's threads on lookups). */
const HELPER_THREADPOOL = '16';

interface Helper {
  readonly child: ChildProcess;
  /** Settles when the helper takes requests, fails or exits. */
  readonly ready: Promise<void>;
}

let installed = false;
let helper: Helper | undefined;
let nextId = 1;
const pending = new Map<number, (reply: LookupReply) => void>();

function failure(id: number, message: string): LookupReply {
  return { id, ok: false, error: { code: 'EAI_SYSTEM', message } };
}

// The channel stays unref'd, also while lookups are pending: every lookup of a run waits under an
// attempt or sink timer, which keeps the loop alive; a lookup left over after the run must not.
function helperProcess(): Helper {
  if (helper) return helper;
  const { NODE_OPTIONS: _preloads, ...env } = process.env;
  // Taken here, not imported: a run whose hosts are all IP literals never loads node:child_process.
  loadBuiltins(['node:child_process']);
  const child = process.getBuiltinModule('node:child_process').fork(HELPER, [], {
    execArgv: [], env: { ...env, UV_THREADPOOL_SIZE: HELPER_THREADPOOL },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json',
  });
  child.unref();
  child.channel?.unref();
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  let killed = false;
  const gone = (message: string) => {
    if (helper?.child === child) helper = undefined;
    // An 'error' (a failed send or kill) can come from a child still alive, which the exit hook no longer
    // sees once it is not `helper`: kill it here. No pid: the fork failed, there is nothing to kill.
    if (!killed && child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      killed = true;
      child.kill('SIGKILL');
    }
    markReady();
    for (const [id, settle] of pending) settle(failure(id, message));
    pending.clear();
  };
  child.on('message', (message: HelperMessage) => {
    if ('ready' in message) return markReady();
    const settle = pending.get(message.id);
    pending.delete(message.id);
    settle?.(message);
  });
  // EMFILE/EAGAIN at fork arrive here on the next tick, with no IPC channel (`send` undefined).
  child.on('error', (error) => gone(`host lookup helper failed: ${error.message}`));
  child.on('exit', (code, signal) => gone(`host lookup helper exited (${signal ?? code})`));
  helper = { child, ready };
  return helper;
}

function askHelper(hostname: string, options: LookupOptions): Promise<LookupReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    const unreachable = (error: Error) => {
      if (pending.delete(id)) resolve(failure(id, `host lookup helper unreachable: ${error.message}`));
    };
    const request: LookupRequest = { id, hostname, options: { order: dns.getDefaultResultOrder(), ...options } };
    try {
      const { child } = helperProcess();
      if (!child.send) throw new Error('no IPC channel');
      child.send(request, (error) => { if (error) unreachable(error); });
    } catch (error) {
      // A failed fork (EMFILE, EAGAIN) is a failed lookup, not an exception of the run.
      unreachable(error as Error);
    }
  });
}

/**
 * Starts the helper ahead of the first attempt (forking and booting a Node process costs tens of ms,
 * which must not count against an attempt's timeout). Resolves when it takes requests, fails or exits,
 * when `signal` aborts, or after `maxWaitMs` at the latest: a helper slow to boot must not hold attempts
 * that need no lookup, and lookups asked before it is ready wait in its IPC channel. Resolves at once
 * when the lookup is not installed (only `syncproof run` installs it).
 */
export function startHostLookup(signal?: AbortSignal, maxWaitMs = Infinity): Promise<void> {
  if (!installed || signal?.aborted) return Promise.resolve();
  let started: Helper;
  try {
    started = helperProcess();
  } catch {
    return Promise.resolve(); // the first lookup forks again and fails as data
  }
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(maxWaitMs) ? setTimeout(done, maxWaitMs) : undefined;
    signal?.addEventListener('abort', done, { once: true });
    void started.ready.then(done);
  });
}

function lookupError(hostname: string, error: Extract<LookupReply, { ok: false }>['error']): NodeJS.ErrnoException {
  return Object.assign(new Error(error.message), { code: error.code, syscall: error.syscall ?? 'getaddrinfo', hostname });
}

/** `dns.lookup`'s contract: `(hostname, [options | family], callback)`, one address or, with `all`, every one. */
function lookup(hostname: string, optionsOrCallback: LookupOptions | number | Callback, maybeCallback?: Callback): void {
  const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback)!;
  const options: LookupOptions = typeof optionsOrCallback === 'number' ? { family: optionsOrCallback }
    : typeof optionsOrCallback === 'object' && optionsOrCallback !== null ? optionsOrCallback : {};
  void askHelper(hostname, options).then((reply) => {
    if (!reply.ok) return callback(lookupError(hostname, reply.error), options.all ? [] : '', undefined);
    if (options.all) return callback(null, [...reply.addresses]);
    const first = reply.addresses[0];
    if (!first) return callback(lookupError(hostname, { code: 'ENOTFOUND', message: `getaddrinfo ENOTFOUND ${hostname}` }), '', undefined);
    return callback(null, first.address, first.family);
  });
}

async function lookupPromise(hostname: string, options: LookupOptions | number = {}): Promise<LookupAddress | LookupAddress[]> {
  const opts = typeof options === 'number' ? { family: options } : options;
  const reply = await askHelper(hostname, { ...opts, all: true });
  if (!reply.ok) throw lookupError(hostname, reply.error);
  const first = reply.addresses[0];
  if (opts.all) return [...reply.addresses];
  if (!first) throw lookupError(hostname, { code: 'ENOTFOUND', message: `getaddrinfo ENOTFOUND ${hostname}` });
  return first;
}


/** Routes every `dns.lookup` of this process (net, tls, undici, pg, mysql2, ioredis) through the helper. */
export function installHostLookup(): void {
  if (installed) return;
  installed = true;
  dns.lookup = lookup as typeof dns.lookup;
  dns.promises.lookup = lookupPromise as typeof dns.promises.lookup;
  // `import { lookup } from 'node:dns/promises'` is a live binding: this makes it see the replacement.
  syncBuiltinESMExports();
  process.on('exit', () => helper?.child.kill('SIGKILL'));
}
