// What a Redis server says about itself (INFO server, INFO replication), normalised to the
// data-layer meaning shared with postgres and mysql: role, lag, replicas, read-only.
import type { Redis } from 'ioredis';

export interface RedisState {
  readonly version: string;
  readonly role: 'primary' | 'replica';
  /** Replica: master_link_status is up. Primary: null (it has no link to a primary). */
  readonly linkUp: boolean | null;
  /** Milliseconds; null on a replica whose link is down, or on a primary without streaming replicas. */
  readonly lagMs: number | null;
  /** Replicas of this server streaming now (`state=online`). */
  readonly replicas: number;
  readonly readOnly: boolean;
  readonly notes: readonly string[];
}

/** `key:value` lines of an INFO reply; `# Section` headers and blank lines skipped. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

interface ReplicaLink {
  readonly state: string;
  readonly lagSeconds: number | undefined;
}

/** `slave0:ip=…,port=…,state=online,offset=…,lag=0` lines: each connected replica's state and lag. */
function replicaLinks(replication: Map<string, string>): ReplicaLink[] {
  return [...replication].filter(([key]) => /^slave\d+$/.test(key)).map(([, value]) => {
    const lag = /(?:^|,)lag=(\d+)/.exec(value)?.[1];
    return { state: /(?:^|,)state=([^,]*)/.exec(value)?.[1] ?? 'unknown', lagSeconds: lag === undefined ? undefined : Number(lag) };
  });
}

/**
 * Replicas streaming now (`state=online`) and the largest of their lags. `connected_slaves` also
 * counts replicas still waiting for or loading a full sync (`wait_bgsave`, `send_bulk`): named in a note.
 */
function streaming(replication: Map<string, string>): { replicas: number; lagMs: number | null; notes: string[] } {
  const links = replicaLinks(replication);
  const online = links.filter((link) => link.state === 'online');
  const lags = online.map((link) => link.lagSeconds).filter((lag): lag is number => lag !== undefined);
  const syncing = links.filter((link) => link.state !== 'online').map((link) => link.state);
  const notes = syncing.length === 0 ? [] : [
    `${syncing.length} more replica${syncing.length === 1 ? ' is' : 's are'} connected but not streaming yet (${syncing.join(', ')})`,
  ];
  return { replicas: online.length, lagMs: lags.length > 0 ? Math.max(...lags) * 1000 : null, notes };
}

export async function readState(client: Redis): Promise<RedisState> {
  const server = parseInfo(String(await client.call('INFO', 'server')));
  const replication = parseInfo(String(await client.call('INFO', 'replication')));
  const version = server.get('redis_version') ?? 'unknown';
  const own = streaming(replication);
  if (replication.get('role') !== 'slave') {
    return { version, role: 'primary', linkUp: null, lagMs: own.lagMs, replicas: own.replicas, readOnly: false, notes: own.notes };
  }
  const linkUp = replication.get('master_link_status') === 'up';
  const lastIo = Number(replication.get('master_last_io_seconds_ago'));
  const lagMs = linkUp && Number.isFinite(lastIo) && lastIo >= 0 ? lastIo * 1000 : null;
  const { readOnly, note } = await replicaReadOnly(client, replication);
  return { version, role: 'replica', linkUp, lagMs, replicas: own.replicas, readOnly, notes: [...own.notes, ...(note ? [note] : [])] };
}

/**
 * INFO replication has `slave_read_only` on a replica (Redis ≥ 4); older servers need CONFIG GET,
 * which a least-privilege user may not run: then Redis's default (`replica-read-only yes`) is assumed.
 */
async function replicaReadOnly(client: Redis, replication: Map<string, string>): Promise<{ readOnly: boolean; note?: string }> {
  const flag = replication.get('slave_read_only');
  if (flag !== undefined) return { readOnly: flag === '1' };
  try {
    const reply = await client.call('CONFIG', 'GET', 'slave-read-only');
    if (Array.isArray(reply) && reply.length >= 2) return { readOnly: String(reply[1]) === 'yes' };
  } catch {
    // not permitted: fall through to the default
  }
  return { readOnly: true, note: 'readOnly assumed (the server does not report replica-read-only to this user; Redis\'s default is yes)' };
}

/** `primary, 1 replica, lag 0ms` · `primary, no replicas` · `replica, lag 1s` · `replica, link down`. */
export function describeState(state: RedisState, formatLag: (ms: number) => string): string {
  if (state.role === 'primary') {
    if (state.replicas === 0) return 'primary, no replicas';
    const lag = state.lagMs === null ? '' : `, lag ${formatLag(state.lagMs)}`;
    return `primary, ${state.replicas} replica${state.replicas === 1 ? '' : 's'}${lag}`;
  }
  if (!state.linkUp) return 'replica, link down';
  return `replica, lag ${state.lagMs === null ? 'unknown' : formatLag(state.lagMs)}`;
}
