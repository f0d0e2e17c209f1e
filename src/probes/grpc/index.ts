import { z } from '../../zod.ts';
import { defineProbe } from '../types.ts';
import { insecureTls, tlsOptions } from '../../net/tls-options.ts';
import { hostPort, unbracket } from '../../net/address.ts';
import { DRIVER_BUILTINS } from '../../net/driver-builtins.ts';
import { loadBuiltins } from '../../process/v8-tuning.ts';

/** gRPC metadata keys: lower-case, not reserved by the protocol, and not binary (`-bin` values are bytes). */
const METADATA_NAME = /^[0-9a-z_.-]+$/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[^\s/\\[\]@?#%]+)$/;
const METADATA_VALUE = /^[\x20-\x7e]*$/;

const spec = () => z.strictObject({
  host: z.meta(z.string().check(z.regex(HOST, 'must be a host name or IP address')),
    { description: 'server host name or IP address (IPv6 bare or in brackets)' }),
  port: z.meta(z.number().check(z.int(), z.gte(1), z.lte(65535)), { description: 'server port' }),
  service: z.meta(z.default(z.string(), ''),
    { description: 'the service name to check, e.g. orders.v1.Orders; "" (default) asks for the server as a whole' }),
  tls: z.meta(z.optional(tlsOptions()),
    { description: 'speak TLS: ca (PEM text or file path; default the system CAs), serverName (default host), insecure (do not verify); without `tls`, plaintext' }),
  metadata: z.meta(z.optional(z.record(z.string(), z.string()).check(z.superRefine((entries, ctx) => {
    for (const [name, value] of Object.entries(entries)) {
      const problem = !METADATA_NAME.test(name) ? 'must be a lower-case metadata key (0-9 a-z _ . -)'
        : name.startsWith('grpc-') || name === 'te' || name === 'content-type' || name === 'user-agent' ? 'is set by gRPC itself'
        : name.endsWith('-bin') ? 'is a binary key (-bin), which this probe does not send'
        : !METADATA_VALUE.test(value) ? 'must be printable ASCII on one line' : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  }))), { description: 'request metadata (headers), e.g. authorization: Bearer ${env:TOKEN}; write secrets as ${env:…} or ${file:…}' }),
});

export type GrpcSpec = z.output<ReturnType<typeof spec>>;

export const grpc = defineProbe({
  type: 'grpc',
  spec,
  fields: { status: 'string', code: 'string' },
  defaultExpect: ['status == "SERVING"'],
  hosts: (s) => [unbracket(s.host)],
  insecure: insecureTls,
  target: (s) => `${s.tls ? 'grpcs' : 'grpc'}://${hostPort(unbracket(s.host), s.port)}${s.service ? `/${s.service}` : ''}`,
  load: async () => {
    loadBuiltins(DRIVER_BUILTINS.grpc);
    await import('@grpc/grpc-js');
    return (await import('../observers.ts')).grpc;
  },
});
