// The `server` of a dns probe: `host`, `host:port`, `[v6]:port` or a bare IPv6 address.

export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

const BRACKETED = /^\[([^\]]+)\](?::(\d{1,5}))?$/;
const HOST_PORT = /^([^\s:[\]]+)(?::(\d{1,5}))?$/;

/** node:net taken when an address is asked about, not imported: `validate` of a suite without one never loads it. */
const isIPv6 = (text: string): boolean => process.getBuiltinModule('node:net').isIPv6(text);

export function parseDnsServer(text: string): DnsServer | undefined {
  // A bare IPv6 address has two colons or more. Asked first, node:net's isIPv6 compiles its large pattern
  // in every validate of a suite of `host:port` servers (docs/PERFORMANCE.md).
  if (text.indexOf(':') !== text.lastIndexOf(':') && isIPv6(text)) return { host: text, port: 53 };
  const bracketed = BRACKETED.exec(text);
  const match = bracketed ?? HOST_PORT.exec(text);
  if (!match || (bracketed && !isIPv6(match[1]!))) return undefined;
  const port = match[2] === undefined ? 53 : Number(match[2]);
  return port >= 1 && port <= 65535 ? { host: match[1]!, port } : undefined;
}
