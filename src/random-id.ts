// Random UUIDs (version 4: the record's id, the write checks' tokens) from the kernel's random device, read
// with node:fs, which every command has loaded. node:crypto's randomUUID would load node:crypto and ~19 of
// its internal modules into every run for 16 bytes (~6 ms of a one-probe run, docs/PERFORMANCE.md). Anything
// else at that path (no /dev, a FIFO, /dev/zero or a file mounted over it) is not trusted: node:crypto's then.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const URANDOM = '/dev/urandom';
/** Linux's character device 1:9, `/dev/urandom` (st_rdev as glibc's makedev encodes it). */
const URANDOM_DEVICE = (1 << 8) | 9;

export function randomId(): string {
  const bytes = kernelRandomBytes(URANDOM);
  return bytes === undefined ? process.getBuiltinModule('node:crypto').randomUUID() : uuidFromBytes(bytes);
}

/** The UUID of 16 random bytes: version 4, RFC 9562's variant. */
export function uuidFromBytes(bytes: Buffer): string {
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * 16 bytes of `path` if it is the kernel's urandom device, else undefined. Opened without blocking (a FIFO
 * there would otherwise hold the event loop until a writer came) and checked before a byte is read.
 */
export function kernelRandomBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice() || stats.rdev !== URANDOM_DEVICE) return undefined;
    const bytes = Buffer.alloc(16);
    for (let filled = 0; filled < bytes.length;) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (n === 0) return undefined;
      filled += n;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
