// Random UUIDs (version 4: the record's id, the write checks' tokens) from the kernel's random source, read
// with node:fs, which every command has loaded. node:crypto's randomUUID would load node:crypto and ~19 of
// its internal modules into every run for 16 bytes (~6 ms of a one-probe run, docs/PERFORMANCE.md). Where
// the source cannot be read (not Linux, no /dev), node:crypto's.
import { closeSync, openSync, readSync } from 'node:fs';

const SOURCE = '/dev/urandom';

export function randomId(source: string = SOURCE): string {
  const bytes = randomBytesFrom(source);
  if (bytes === undefined) return process.getBuiltinModule('node:crypto').randomUUID();
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 16 bytes of `source`, or undefined when it cannot be opened or ends before them. */
function randomBytesFrom(source: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch {
    return undefined;
  }
  try {
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
