// A host whose packets are dropped, built from network namespaces this test creates and owns:
// `client` and `target` joined by a veth pair (192.0.2.1/24 and 192.0.2.2/24, TEST-NET-1, assigned only
// inside those namespaces), with an iptables DROP rule on the target's input. A connect from the
// client gets no answer at all: no RST, no ICMP, only its own timeout.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DroppedHost {
  /** The namespace to run the client in (`ip netns exec NAME …`). */
  readonly client: string;
  /** The target's address, reachable from `client` only, every packet to it dropped. */
  readonly address: string;
  remove(): Promise<void>;
}

// A crashed test must not leave namespaces behind (deleting a namespace deletes its veth end and the pair).
const live = new Set<string>();
process.on('exit', () => {
  for (const ns of live) try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
});

/** Why namespaces cannot be used here, or undefined when they can. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN)';
  for (const tool of ['ip', 'iptables']) {
    try {
      await run(tool, ['-V']);
    } catch (error) {
      return `\`${tool}\` is not usable: ${(error as Error).message}`;
    }
  }
  return undefined;
}

export async function droppedHost(): Promise<DroppedHost> {
  const id = randomBytes(3).toString('hex');
  const client = `syncproof-${id}-c`;
  const target = `syncproof-${id}-t`;
  const remove = async (): Promise<void> => {
    for (const ns of [client, target]) {
      if (!live.delete(ns)) continue;
      await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    }
  };
  try {
    for (const ns of [client, target]) {
      await run('ip', ['netns', 'add', ns]);
      live.add(ns);
    }
    // veth names are limited to 15 bytes; created in the root namespace for an instant, then moved.
    await run('ip', ['link', 'add', `spc${id}`, 'type', 'veth', 'peer', 'name', `spt${id}`]);
    await run('ip', ['link', 'set', `spc${id}`, 'netns', client]);
    await run('ip', ['link', 'set', `spt${id}`, 'netns', target]);
    await run('ip', ['-n', client, 'addr', 'add', '192.0.2.1/24', 'dev', `spc${id}`]);
    await run('ip', ['-n', target, 'addr', 'add', '192.0.2.2/24', 'dev', `spt${id}`]);
    for (const [ns, dev] of [[client, `spc${id}`], [target, `spt${id}`]] as const) {
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      await run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    }
    await run('ip', ['netns', 'exec', target, 'iptables', '-A', 'INPUT', '-j', 'DROP']);
  } catch (error) {
    await remove();
    await run('ip', ['link', 'del', `spc${id}`]).catch(() => undefined); // if it never left the root namespace
    throw error;
  }
  return { client, address: '192.0.2.2', remove };
}
