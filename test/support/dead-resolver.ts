// A system resolver that never answers, for one child process: a UDP listener on port 53 of a loopback
// address of its own (127.x.y.z) that reads queries and drops them, named by a resolv.conf that is
// bind-mounted over /etc/resolv.conf in a private mount namespace (`unshare --mount`) around the child.
// getaddrinfo() in that child then blocks for the resolver's full timeout (up to attempts × timeout per
// name), on libuv's threadpool, where nothing can cancel it. The network stays the host's, so the
// child still reaches loopback servers (sinks, probes given by address).
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DeadResolver {
  readonly address: string;
  /** Queries received so far (a lookup really went to the resolver). */
  readonly queries: () => number;
  /** The command and arguments that run `command args…` with this resolver as the system's. */
  wrap(command: string, args: readonly string[]): [string, string[]];
  close(): Promise<void>;
}

/** Why a dead resolver cannot be set up here, or undefined when it can. */
export async function deadResolverUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'binding port 53 and mounting over /etc/resolv.conf need root';
  try {
    await run('unshare', ['--mount', '--propagation', 'private', 'true']);
  } catch (error) {
    return `\`unshare --mount\` is not usable: ${(error as Error).message}`;
  }
  return undefined;
}

/**
 * `timeoutS` and `attempts` go into resolv.conf's options (glibc caps them at 30 and 5): one lookup
 * of a name without search domains then blocks about timeoutS × attempts seconds.
 */
export async function deadResolver(options: { timeoutS?: number; attempts?: number } = {}): Promise<DeadResolver> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', () => { queries++; });
  let address = '';
  for (let tries = 0; ; tries++) {
    address = `127.${53 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250) + 1}.53`;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(53, address, () => { socket.off('error', reject); resolve(); });
      });
      break;
    } catch (error) {
      if (tries >= 5) throw error;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-resolver-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${address}\noptions timeout:${options.timeoutS ?? 30} attempts:${options.attempts ?? 5}\n`);
  return {
    address,
    queries: () => queries,
    wrap: (command, args) => ['unshare', [
      '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolvConf, command, ...args,
    ]],
    close: async () => {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
