// The system resolver's search list. Node's `resolve*` asks for a name exactly as written, but in a
// Pod users write `orders-db.orders.svc` and expect it to resolve as `nslookup` (getaddrinfo) does:
// through the `search` domains and `ndots` of /etc/resolv.conf.
import type { Resolver } from 'node:dns/promises';
import { ask, type DnsAnswer, type DnsRecordType } from './query.ts';
import { readRegularFile } from '../../regular-file.ts';

export interface SearchConfig {
  readonly search: readonly string[];
  readonly ndots: number;
}

export const NO_SEARCH: SearchConfig = { search: [], ndots: 1 };

/** The last `search` or `domain` line wins, as in glibc; `options ndots:N` is capped at 15. */
export function parseResolvConf(text: string): SearchConfig {
  let search: string[] = [];
  let ndots = 1;
  for (const line of text.split('\n')) {
    const [keyword, ...args] = line.replace(/[#;].*/, '').trim().split(/\s+/);
    if (keyword === 'search' || keyword === 'domain') {
      search = args.map((d) => d.replace(/\.$/, '')).filter((d) => d !== '');
    } else if (keyword === 'options') {
      for (const option of args) {
        const ndotsOption = /^ndots:(\d+)$/.exec(option);
        if (ndotsOption) ndots = Math.min(15, Number(ndotsOption[1]));
      }
    }
  }
  return { search, ndots };
}

/** glibc reads resolv.conf whole; a real one is a few hundred bytes. */
export const MAX_RESOLV_CONF_BYTES = 64 * 1024;

/** No search list when the file is missing, unreadable, not a regular file or larger than 64 KiB, as without one. */
export async function systemSearchConfig(path = '/etc/resolv.conf'): Promise<SearchConfig> {
  try {
    const read = await readRegularFile(path, MAX_RESOLV_CONF_BYTES);
    return read.ok ? parseResolvConf(read.bytes.toString('utf8')) : NO_SEARCH;
  } catch {
    return NO_SEARCH;
  }
}

/** The names to ask, in order: a trailing dot means exactly that name. */
export function candidateNames(name: string, config: SearchConfig): string[] {
  if (name.endsWith('.')) return [name];
  const expanded = config.search.map((domain) => `${name}.${domain}`);
  const dots = name.split('.').length - 1;
  return dots >= config.ndots ? [name, ...expanded] : [...expanded, name];
}

export interface SearchedAnswer {
  readonly name: string;
  readonly answer: DnsAnswer;
}

/**
 * Asks each candidate until one has records. Only NXDOMAIN and empty answers move on to the next
 * name; any other outcome (SERVFAIL, timeout…) is the result. With nothing found, the answer for
 * the name as written is the result.
 */
export async function askInTurn(
  resolver: Resolver, name: string, record: DnsRecordType, config: SearchConfig, signal?: AbortSignal,
): Promise<SearchedAnswer> {
  let asWritten: SearchedAnswer | undefined;
  let last: SearchedAnswer | undefined;
  for (const candidate of candidateNames(name, config)) {
    if (last && signal?.aborted) break;
    const answer = await ask(resolver, candidate, record);
    last = { name: candidate, answer };
    if (candidate === name) asWritten = last;
    const moveOn = answer.answered && (answer.rcode === 'NXDOMAIN' || (answer.rcode === 'NOERROR' && answer.records.length === 0));
    if (!moveOn) return last;
  }
  return asWritten ?? last!;
}
