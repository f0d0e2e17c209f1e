// Where a kafka probe connects: its `brokers` list, as the suite is checked. The admin client that connects
// is connect.ts, loaded only to observe.
import { hostPort, unbracket } from '../../net/address.ts';
import type { KafkaSpec } from './index.ts';

export function brokersOf(spec: Pick<KafkaSpec, 'brokers'>): { host: string; port: number }[] {
  return spec.brokers.map((text) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
    return { host: unbracket(match?.[1] ?? text), port: match?.[2] ? Number(match[2]) : 9092 };
  });
}

/** `kafka://b0:9092,b1:9092/group/topic`, never with credentials. */
export function targetOf(spec: Pick<KafkaSpec, 'brokers' | 'group' | 'topic' | 'tls' | 'sasl'>): string {
  const scheme = spec.tls ? 'kafka+ssl' : 'kafka';
  const path = [spec.group, spec.topic].filter((p) => p !== undefined).join('/');
  return `${scheme}://${brokersOf(spec).map((b) => hostPort(b.host, b.port)).join(',')}${path ? `/${path}` : ''}`;
}
