import type { ProbeType } from './types.ts';
import { http } from './http/index.ts';
import { tcp } from './tcp/index.ts';
import { dns } from './dns/index.ts';
import { tls } from './tls/index.ts';
import { postgres } from './postgres/index.ts';
import { mysql } from './mysql/index.ts';
import { redis } from './redis/index.ts';
import { grpc } from './grpc/index.ts';
import { rabbitmq } from './rabbitmq/index.ts';
import { nats } from './nats/index.ts';
import { kafka } from './kafka/index.ts';
import { prometheus } from './prometheus/index.ts';
import { kubernetes } from './kubernetes/index.ts';

/** The closed registry of probe types, keyed by the suite file's `type`. */
export const probeTypes: Readonly<Record<string, ProbeType>> = { http, tcp, dns, tls, postgres, mysql, redis, grpc, rabbitmq, nats, kafka, prometheus, kubernetes };
