// A consumer group as the probe sees it: its state and members, and its lag, the sum over partitions of
// the end offset less the group's committed offset (the topic's partitions with `topic`, else every
// partition the group has committed on). A partition of `topic` the group never committed on counts its
// whole retained log (end less earliest offset): nothing of it has been consumed.
import type { Admin, ClusterMetadata } from '@platformatic/kafka';

export interface GroupState {
  readonly state: string;
  readonly members: number;
  readonly lag: number | null;
  readonly lagMax: number | null;
  readonly partitions: number;
}

/** At most this many partitions are summed (a sane cluster's group has far fewer; a hostile one may claim more). */
const MAX_PARTITIONS = 10_000;
const LATEST = -1n;
const EARLIEST = -2n;

export async function readState(admin: Admin, metadata: ClusterMetadata, group: string, topic: string | undefined): Promise<GroupState> {
  const described = (await admin.describeGroups({ groups: [group] })).get(group);
  const [committed] = await admin.listConsumerGroupOffsets({ groups: [group] });
  const offsets = new Map<string, bigint>();
  for (const t of committed?.topics ?? []) {
    if (topic !== undefined && t.name !== topic) continue;
    for (const p of t.partitions) if (p.committedOffset >= 0n) offsets.set(`${t.name}\0${p.partitionIndex}`, p.committedOffset);
  }
  const partitions = new Map<string, number[]>();
  if (topic !== undefined) {
    const count = (await admin.metadata({ topics: [topic] })).topics.get(topic)?.partitionsCount ?? metadata.topics.get(topic)?.partitionsCount ?? 0;
    partitions.set(topic, Array.from({ length: Math.min(count, MAX_PARTITIONS) }, (_, i) => i));
  } else {
    for (const key of [...offsets.keys()].slice(0, MAX_PARTITIONS)) {
      const [name = '', index = '0'] = key.split('\0');
      partitions.set(name, [...(partitions.get(name) ?? []), Number(index)]);
    }
  }
  const ends = await listOffsets(admin, partitions, LATEST);
  const uncommitted = new Map([...partitions].map(([name, list]) => [name, list.filter((i) => !offsets.has(`${name}\0${i}`))] as const).filter(([, list]) => list.length > 0));
  const starts = uncommitted.size > 0 ? await listOffsets(admin, uncommitted, EARLIEST) : new Map<string, bigint>();
  let lag = 0n;
  let lagMax = 0n;
  let counted = 0;
  for (const [key, end] of ends) {
    const from = offsets.get(key) ?? starts.get(key) ?? 0n;
    const behind = end > from ? end - from : 0n;
    lag += behind;
    if (behind > lagMax) lagMax = behind;
    counted++;
  }
  return {
    state: String(described?.state ?? 'Dead').slice(0, 50),
    members: described?.members.size ?? 0,
    lag: counted > 0 ? Number(lag) : null,
    lagMax: counted > 0 ? Number(lagMax) : null,
    partitions: counted,
  };
}

async function listOffsets(admin: Admin, partitions: ReadonlyMap<string, readonly number[]>, timestamp: bigint): Promise<Map<string, bigint>> {
  if (partitions.size === 0) return new Map();
  const topics = [...partitions].map(([name, list]) => ({ name, partitions: list.map((partitionIndex) => ({ partitionIndex, timestamp })) }));
  const listed = await admin.listOffsets({ topics });
  return new Map(listed.flatMap((t) => t.partitions.map((p) => [`${t.name}\0${p.partitionIndex}`, p.offset] as const)));
}

export function describeState(group: string, g: GroupState): string {
  const lag = g.lag === null ? 'no committed offsets' : `lag ${g.lag} (max ${g.lagMax} over ${g.partitions} partition${g.partitions === 1 ? '' : 's'})`;
  return `group ${group}: ${g.state}, ${g.members} member${g.members === 1 ? '' : 's'}, ${lag}`;
}
