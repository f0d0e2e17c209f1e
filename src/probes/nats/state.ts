// What a nats probe reads: the server's version and round trip, a JetStream stream's state and its
// cluster (the leader and each replica's currency), and a consumer's backlog.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { JsonValue } from '../types.ts';

export interface StreamState {
  readonly messages: number;
  readonly bytes: number;
  readonly consumers: number;
  readonly leader: string | null;
  readonly replicas: readonly { readonly name: string; readonly current: boolean; readonly lag: number; readonly offline: boolean }[];
}

/** At most this many replicas are kept (a stream has at most 5; a hostile server may claim more). */
const MAX_REPLICAS = 16;

export async function readStream(jsm: JetStreamManager, stream: string): Promise<StreamState> {
  const info = await jsm.streams.info(stream);
  // Sorted by name, so that `cluster.replicas[0]` means the same server from one attempt to the next.
  const replicas = (info.cluster?.replicas ?? []).slice(0, MAX_REPLICAS).map((r) => ({
    name: String(r.name).slice(0, 200), current: r.current === true, lag: Number(r.lag ?? 0), offline: r.offline === true,
  })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    messages: info.state.messages, bytes: info.state.bytes, consumers: info.state.consumer_count,
    leader: typeof info.cluster?.leader === 'string' ? info.cluster.leader.slice(0, 200) : null,
    replicas,
  };
}

export interface ConsumerState {
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  readonly waiting: number;
}

export async function readConsumer(jsm: JetStreamManager, stream: string, consumer: string): Promise<ConsumerState> {
  const info = await jsm.consumers.info(stream, consumer);
  return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, waiting: info.num_waiting };
}

export function streamObserved(s: StreamState): { stream: JsonValue; cluster: JsonValue } {
  return {
    stream: { messages: s.messages, bytes: s.bytes, consumers: s.consumers },
    cluster: { leader: s.leader, replicas: s.replicas.map((r) => ({ ...r })) },
  };
}

export function describeStream(name: string, s: StreamState): string {
  const behind = s.replicas.filter((r) => r.offline || !r.current);
  const cluster = s.leader === null ? '' : `, leader ${s.leader}${s.replicas.length ? `, ${s.replicas.length - behind.length}/${s.replicas.length} replicas current` : ''}`;
  return `stream ${name}: ${s.messages} messages${cluster}`;
}

export function describeConsumer(name: string, c: ConsumerState): string {
  return `consumer ${name}: ${c.pending} pending, ${c.ackPending} awaiting ack`;
}
