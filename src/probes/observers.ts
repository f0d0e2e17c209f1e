// What an attempt of each type runs, in one module: `run` imports it once, through each type's `load`
// (ProbeType.load), and `validate` never does. One module, not one per type: in the bundle each per-type import
// was an entry of its own, and the code the types share with the suite's checks fell into ~20 small chunks that
// every command then loaded, one file each (docs/PERFORMANCE.md). No driver here: each type's `load` imports its own.
export { observeDns as dns } from './dns/observe.ts';
export { observeGrpc as grpc } from './grpc/observe.ts';
export { observeHttp as http } from './http/observe.ts';
export { observeKafka as kafka } from './kafka/observe.ts';
export { observeKubernetes as kubernetes } from './kubernetes/observe.ts';
export { observeMysql as mysql } from './mysql/observe.ts';
export { observeNats as nats } from './nats/observe.ts';
export { observePostgres as postgres } from './postgres/observe.ts';
export { observePrometheus as prometheus } from './prometheus/observe.ts';
export { observeRabbit as rabbitmq } from './rabbitmq/observe.ts';
export { observeRedis as redis } from './redis/observe.ts';
export { observeTcp as tcp } from './tcp/observe.ts';
export { observeTls as tls } from './tls/observe.ts';
