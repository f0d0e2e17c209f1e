// Credentials written into an http(s) URL (`https://user:pass@host/`). fetch-style clients refuse
// them and undici drops them silently; curl sends them as basic auth, which is what users expect.
import { registerSecret } from '../secrets.ts';

/** The shortest user name, given without a password, that is taken for a token (GitHub's are 40, GitLab's 26). */
const TOKEN_LENGTH = 16;

export interface CredentialFree {
  /** The URL without its userinfo (the text as given when it had none). */
  readonly url: string;
  readonly headers: Record<string, string>;
}

/**
 * The URL's user and password moved into `Authorization: Basic …`, unless an Authorization header
 * (in any letter case) is given: an explicit header wins, as in curl.
 */
export function withoutCredentials(raw: string, headers: Readonly<Record<string, string>>): CredentialFree {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw, headers: { ...headers } };
  const credentials = `${decoded(url.username)}:${decoded(url.password)}`;
  const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  // A URL's password is never shown (docs/suite.md#interpolation-and-secrets), neither as written nor as
  // the header a server may echo back.
  // With no password, a token-length user name is the credential (`https://TOKEN@host/`, as GitHub tokens
  // are written); a short one (`deploy`) is a name, and masking it would rewrite every "deploy" in every output.
  const user = decoded(url.username);
  const secret = url.password ? decoded(url.password) : user.length >= TOKEN_LENGTH ? user : '';
  for (const form of [secret, authorization.slice('Basic '.length)]) registerSecret(form);
  url.username = '';
  url.password = '';
  const given = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  return {
    url: url.toString(),
    headers: given ? { ...headers } : { ...headers, authorization },
  };
}

/**
 * The URL for targets, reports and records: neither user nor password (the text as given when it had none,
 * or when it is no URL, e.g. an scp-style `git@host:org/repo`).
 */
export function withoutUserinfo(raw: string): string {
  if (!URL.canParse(raw)) return raw;
  const url = new URL(raw);
  if (!url.username && !url.password) return raw;
  url.username = '';
  url.password = '';
  return url.toString();
}

/** `%40` → `@`; a stray `%` that starts no escape is kept as written. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const MALFORMED_ESCAPE = 'has a malformed %-escape (write %25 for a literal %)';

/** Drivers decode each part of a url when connecting; a malformed %-escape would throw there (URIError). */
export function urlPartsDecodable(text: string): boolean {
  // Only a `%` can start a malformed escape: what the URL parser escapes itself decodes.
  if (!text.includes('%')) return true;
  if (!URL.canParse(text)) return true; // reported as not a valid URL
  const url = new URL(text);
  try {
    for (const part of [url.username, url.password, url.hostname, url.pathname]) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
