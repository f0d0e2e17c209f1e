// A real DNS server for tests: dnsmasq on 127.0.0.1 with a small local zone and no upstream, plus a
// broken upstream that answers SERVFAIL and a server that never answers.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { needs } from './prerequisite.ts';

export const DNSMASQ = '/usr/sbin/dnsmasq';

/**
 * What the zone serves. Names under `test` that are not listed are NXDOMAIN, names under
 * `broken.test` are SERVFAIL (relayed from a broken upstream), names outside `test` are REFUSED.
 */
const ZONE_ARGS = [
  '--local=/test/',
  '--host-record=www.test,127.0.0.10,fd00::10',
  '--host-record=www.test,127.0.0.11',
  '--host-record=db.orders.cluster.test,127.0.0.20',
  '--cname=alias.test,www.test',
  '--mx-host=test,mail.test,10',
  '--mx-host=test,backup-mail.test,20',
  '--srv-host=_http._tcp.test,www.test,8080,10,5',
  // Two character-strings in one record, as long SPF/DKIM texts are split.
  '--txt-record=txt.test,v=spf1 ip4:10.0.0.0/8 ,-all',
  // NS as a raw record: type 2, RDATA the wire form of ns1.test.
  '--dns-rr=test,2,036e7331047465737400',
];

export interface DnsServer {
  readonly port: number;
  /** `127.0.0.1:PORT`, as a dns probe's `server`. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startDnsmasq(): Promise<DnsServer> {
  needs('dnsmasq');
  const dir = await mkdtemp(join(tmpdir(), 'syncproof-dns-'));
  const upstream = await servfailUpstream();
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const child = spawnDnsmasq(port, dir, upstream.port);
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const stopChild = killOnExit(child);
    const ready = await untilAnswering(port, child);
    if (ready) {
      return {
        port,
        address: `127.0.0.1:${port}`,
        stop: async () => {
          await stopChild();
          await upstream.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild();
    if (tries >= 3) {
      await upstream.close();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`dnsmasq did not start: ${Buffer.concat(stderr).toString().trim()}`);
    }
  }
}

function spawnDnsmasq(port: number, dir: string, upstreamPort: number): ChildProcess {
  const args = [
    '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null',
    '--no-resolv', '--no-hosts', '--no-poll', `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces',
    // Run as root it would otherwise switch to `nobody`; as another user it stays who it is.
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    `--server=/broken.test/127.0.0.1#${upstreamPort}`,
    ...ZONE_ARGS,
  ];
  // Its own process group, so stopping it cannot miss a child.
  return spawn(DNSMASQ, args, { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Stops the process group now, or when the test process exits without calling it. */
function killOnExit(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const kill = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = (): void => kill('SIGKILL');
  process.once('exit', onExit);
  return async () => {
    process.removeListener('exit', onExit);
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };
}

/** Ready when it answers a query (it binds its sockets only after reading all options). */
async function untilAnswering(port: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && child.exitCode === null) {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    try {
      await resolver.resolve4('www.test');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

export interface UdpServer {
  readonly port: number;
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** Datagrams received so far. */
  readonly received: () => number;
  close(): Promise<void>;
}

/** Reads every query and never answers: a resolver waits for it until its timeout. */
export function silentDnsServer(): Promise<UdpServer> {
  return udpServer(() => undefined);
}

/** Answers every query with SERVFAIL, like a broken authoritative server. */
function servfailUpstream(): Promise<UdpServer> {
  return udpServer((query) => {
    const questionEnd = endOfQuestion(query);
    if (questionEnd === undefined) return undefined;
    const reply = Buffer.from(query.subarray(0, questionEnd));
    reply[2] = 0x80 | (query[2]! & 0x01); // QR, keep RD
    reply[3] = 0x80 | 2; // RA, RCODE 2 = SERVFAIL
    reply.writeUInt16BE(0, 6); // no answer, authority or additional records
    reply.writeUInt16BE(0, 8);
    reply.writeUInt16BE(0, 10);
    return reply;
  });
}

/** Offset after the single question of a query (header, labels, type, class). */
function endOfQuestion(query: Buffer): number | undefined {
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) offset += query[offset]! + 1;
  return offset + 5 <= query.length ? offset + 5 : undefined;
}

async function udpServer(answer: (query: Buffer) => Buffer | undefined): Promise<UdpServer> {
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', (query, from) => {
    received++;
    const reply = answer(query);
    if (reply) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    port,
    address: `127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
