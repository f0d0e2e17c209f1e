import { Resolver, lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AttemptContext, Observation } from '../types.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { codeWords } from '../../error-words.ts';
import type { DnsRecordType } from './query.ts';
import { parseDnsServer, type DnsServer } from './server.ts';
import { hostPort } from '../../net/address.ts';
import { NO_SEARCH, askInTurn, systemSearchConfig } from './search.ts';
import { untilAborted } from '../../process/until-aborted.ts';
import type { DnsSpec } from './index.ts';

export const observeDns = (s: DnsSpec, ctx: AttemptContext): Promise<Observation> =>
  resolveOnce(s.query, s.record, s.server === undefined ? undefined : parseDnsServer(s.server)!, ctx);

/**
 * Asks once, with c-ares trying the server once within the attempt timeout. An answer of any rcode
 * is an observation; no answer at all (timeout, refused, unreachable) is an attempt error.
 */
async function resolveOnce(name: string, record: DnsRecordType, server: DnsServer | undefined, ctx: AttemptContext): Promise<Observation> {
  const timedOut: Observation = { ok: false, error: timeoutReason(ctx.timeoutMs) };
  // c-ares takes an int32; the abort signal bounds the attempt anyway.
  const aresTimeout = Math.min(Math.max(1, Math.round(ctx.timeoutMs)), 2 ** 31 - 1);
  const resolver = new Resolver({ timeout: aresTimeout, maxTimeout: aresTimeout, tries: 1 });
  const cancel = (): void => resolver.cancel();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    let where = 'system resolver';
    if (server) {
      const address = await serverAddress(server, ctx.signal);
      if (ctx.signal.aborted) return timedOut;
      if (!address.ok) return { ok: false, error: address.error };
      where = hostPort(server.host, server.port);
      resolver.setServers([hostPort(address.ip, server.port)]);
    }
    // An explicit server is asked exactly the name written, as `dig @server` does.
    const search = server ? NO_SEARCH : await systemSearchConfig();
    const { name: asked, answer } = await askInTurn(resolver, name, record, search, ctx.signal);
    if (ctx.signal.aborted) return timedOut;
    if (!answer.answered) {
      if (answer.code === 'ETIMEOUT' || answer.code === 'ECANCELLED') return timedOut;
      // c-ares' ENOTFOUND is an rcode (NXDOMAIN), answered above; what is left are its own failures.
      const known = codeWords(answer.code);
      return { ok: false, error: known ? `${known} (${where})` : describeError(answer.error, where) };
    }
    const count = answer.records.length;
    return {
      ok: true,
      observed: { rcode: answer.rcode, records: [...answer.records] },
      summary: answer.rcode === 'NOERROR' ? `NOERROR, ${count} record${count === 1 ? '' : 's'}` : answer.rcode,
      ...(asked === name ? {} : { notes: [`answered for ${asked}`] }),
    };
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
  }
}

type ServerAddress = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly error: string };

/** A server given by name is looked up first; getaddrinfo cannot be cancelled, so the abort only stops waiting. */
async function serverAddress(server: DnsServer, signal: AbortSignal): Promise<ServerAddress> {
  if (isIP(server.host) !== 0) return { ok: true, ip: server.host };
  const looked = lookup(server.host).then(
    ({ address }): ServerAddress => ({ ok: true, ip: address }),
    (error: unknown): ServerAddress => ({ ok: false, error: describeError(error, hostPort(server.host, server.port)) }),
  );
  return untilAborted(looked, signal, (): ServerAddress => ({ ok: false, error: 'aborted' }));
}
