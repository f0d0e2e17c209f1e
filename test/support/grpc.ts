// A real gRPC server for tests: grpc-js with the grpc.health.v1 service of grpc-health-check, on a free
// loopback port, plaintext or TLS, optionally requiring a bearer token in the request metadata.
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { KeyPair } from './certs.ts';

export interface GrpcServer {
  readonly port: number;
  /** Sets a service's status ("" is the server as a whole), as a real server does on shutdown or overload. */
  setStatus(service: string, status: ServingStatus): void;
  /** Calls seen so far, with the metadata they carried (for checks that secrets were sent). */
  readonly calls: () => readonly { readonly service: string; readonly authorization: string | undefined }[];
  stop(): Promise<void>;
}

export interface GrpcServerOptions {
  readonly tls?: KeyPair;
  /** Answer UNAUTHENTICATED unless `authorization: Bearer <token>` is sent. */
  readonly token?: string;
  /** Register no health service at all: every Check is UNIMPLEMENTED. */
  readonly withoutHealth?: boolean;
  readonly statuses?: Readonly<Record<string, ServingStatus>>;
}

type CheckHandler = grpc.handleUnaryCall<{ service: string }, unknown>;

export async function startGrpcServer(options: GrpcServerOptions = {}): Promise<GrpcServer> {
  const server = new grpc.Server();
  const health = new HealthImplementation({ '': 'SERVING', ...options.statuses });
  const calls: { service: string; authorization: string | undefined }[] = [];
  if (!options.withoutHealth) {
    health.addToServer({
      addService: (definition, implementation) => {
        const check = (implementation as unknown as { check: CheckHandler }).check;
        const guarded: CheckHandler = (call, callback) => {
          const authorization = call.metadata.get('authorization')[0]?.toString();
          calls.push({ service: call.request.service, authorization });
          if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
            callback({ code: grpc.status.UNAUTHENTICATED, details: 'invalid or missing token' });
            return;
          }
          check(call, callback);
        };
        server.addService(definition as grpc.ServiceDefinition, { ...implementation, check: guarded });
      },
    });
  }
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }], false)
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return {
    port,
    setStatus: (service, status) => health.setStatus(service, status),
    calls: () => calls,
    stop: () => new Promise<void>((resolve) => {
      server.forceShutdown();
      resolve();
    }),
  };
}
