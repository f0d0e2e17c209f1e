// The local targets every contender probes: real servers on loopback, started once per benchmark run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';
import { startPostgres } from '../test/support/postgres.ts';
import { startMariaDb, provision, MONITOR, DATABASE } from '../test/support/mysql.ts';
import { startRedis } from '../test/support/redis.ts';

/** The HTTP target answers after this long, like a real service. */
export const HTTP_DELAY_MS = 2;
/** The name the DNS target serves (A record). */
export const DNS_NAME = 'www.bench.test';

export interface Targets {
  readonly http: { readonly port: number; readonly url: string };
  readonly tcp: { readonly port: number };
  /** Port 53 on its own loopback address: check_dns (nslookup) cannot be given another port. */
  readonly dns: { readonly host: string };
  readonly postgres: { readonly port: number; readonly url: string; readonly user: string; readonly database: string };
  readonly mysql: { readonly port: number; readonly user: string; readonly password: string; readonly database: string };
  readonly redis: { readonly port: number; readonly url: string };
  stop(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

async function startDns(): Promise<{ host: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-bench-dns-'));
  // A loopback address of its own (127.83.x.y), so port 53 is free whatever else runs on this machine.
  const host = `127.83.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const child = spawn('/usr/sbin/dnsmasq', [
    '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll',
    `--pid-file=${join(dir, 'pid')}`, '--port=53', `--listen-address=${host}`, '--bind-interfaces', '--user=root',
    '--local=/test/', `--host-record=${DNS_NAME},127.0.0.10`, '--cache-size=0',
  ], { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', kill);
  const stop = async () => { kill(); await exited; rmSync(dir, { recursive: true, force: true }); };
  const deadline = Date.now() + 5000;
  for (;;) {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([host]);
    try {
      await resolver.resolve4(DNS_NAME);
      return { host, stop };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) { await stop(); throw new Error(`dnsmasq did not start: ${stderr}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startTargets(): Promise<Targets> {
  const web = http.createServer((_req, res) => { setTimeout(() => res.end('ok\n'), HTTP_DELAY_MS); });
  web.keepAliveTimeout = 1000;
  const tcp = net.createServer((socket) => { socket.on('error', () => {}); socket.end(); });
  const [httpPort, tcpPort, dns, pg, my, redis] = await Promise.all([
    listen(web), listen(tcp), startDns(), startPostgres(), startMariaDb(), startRedis(),
  ]);
  await provision(my);
  return {
    http: { port: httpPort, url: `http://127.0.0.1:${httpPort}/` },
    tcp: { port: tcpPort },
    dns: { host: dns.host },
    postgres: { port: pg.port, url: pg.url(), user: 'postgres', database: 'postgres' },
    mysql: { port: my.port, user: MONITOR.user, password: MONITOR.password, database: DATABASE },
    redis: { port: redis.port, url: redis.url() },
    stop: async () => {
      web.closeAllConnections();
      await Promise.all([
        new Promise((r) => web.close(r)), new Promise((r) => tcp.close(r)),
        dns.stop(), pg.stop(), my.stop(), redis.stop(),
      ]);
    },
  };
}
