// The two messages of grpc.health.v1.Health/Check, in protobuf wire format. Written by hand rather
// than loaded through protobufjs: grpc-health-check reads its .proto file from disk when imported,
// which a bundled build does not ship, and these messages have one field each.
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }  // UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3

export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
export type ServingStatus = (typeof SERVING_STATUS)[number];

export function encodeRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  return name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
}

/**
 * The reply's status; a value this client does not know (a newer enum member) is UNKNOWN, and a reply
 * that is not a HealthCheckResponse at all is an error. Unknown fields are skipped, as protobuf requires.
 */
export function decodeResponse(bytes: Buffer): ServingStatus {
  let status = 0;
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    at = key.next;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (wire === 0) {
      const value = readVarint(bytes, at);
      at = value.next;
      if (field === 1) status = value.value;
    } else if (wire === 2) {
      const length = readVarint(bytes, at);
      at = length.next + length.value;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`malformed health reply (wire type ${wire})`);
    if (at > bytes.length) throw new Error('malformed health reply (truncated)');
  }
  return SERVING_STATUS[status] ?? 'UNKNOWN';
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
}

/** A varint of at most 10 bytes (a negative int32 takes 10); beyond 2^53 the value is inexact, which only an unknown status reaches. */
function readVarint(bytes: Buffer, from: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 10; i++) {
    const byte = bytes[from + i];
    if (byte === undefined) throw new Error('malformed health reply (truncated)');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: from + i + 1 };
  }
  throw new Error('malformed health reply (varint too long)');
}
