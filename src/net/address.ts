// Hosts as people, URLs and drivers write them: an IPv6 address is bracketed in URLs and in
// `host:port` text (`[::1]:5432`), and bare for sockets and drivers (`::1`).

/** `[::1]` → `::1`; anything else as is. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::1` → `[::1]`, the form a host takes before `:port` or in a URL; a name or IPv4 address as is. */
export function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A URL's host as a driver connects to it: unbracketed, and `localhost` when the URL names none (postgres:///db). */
export function urlHost(url: string): string {
  if (!URL.canParse(url)) return url;
  return unbracket(new URL(url).hostname) || 'localhost';
}

/** `db:5432`, `[::1]:5432`, for targets and error texts; `host` is bare. */
export function hostPort(host: string, port: number | string): string {
  return `${bracketed(host)}:${port}`;
}
