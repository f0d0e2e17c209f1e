// The Node builtins each driver loads, when it is imported and at its first connections (`MODULE#name`: an
// export Node loads only when it is read), for loadBuiltins
// (src/process/v8-tuning.ts): loaded just before the driver, they keep Node's code cache, which V8 refuses under
// the short-run flags. Incomplete lists cost time only, never behaviour; test/image/build.test.ts runs every
// type from the primed app and fails when a builtin is still compiled from source.
const HTTP = ['node:buffer#File', 'node:http', 'node:http2', 'node:tls', 'node:crypto', 'node:zlib', 'node:assert', 'node:console', 'node:fs/promises', 'node:perf_hooks', 'node:stream/web'];
const TLS = ['node:tls', 'node:crypto'];

export const DRIVER_BUILTINS = {
  undici: HTTP,
  grpc: ['node:http', 'node:http2', 'node:tls', 'node:crypto', 'node:zlib', 'node:assert'],
  tls: TLS,
  pg: [...TLS, 'globalThis#crypto', 'globalThis#navigator'],
  mysql2: [...TLS, 'node:buffer#File'],
  ioredis: [...TLS, 'node:assert', 'node:tty'],
  amqplib: [...TLS, 'node:assert'],
  nats: TLS,
  kafka: [...TLS, 'globalThis#crypto', 'node:zlib', 'node:timers/promises', 'node:tty'],
} as const satisfies Record<string, readonly string[]>;
