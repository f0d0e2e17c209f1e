// The forms a secret takes on its way out: a server, a URL parser or a template may hand it back
// re-encoded, and each form must be masked as the value itself is.

/** `&amp;`, `&#34;`, `&#x27;`…: as HTML templates (Go's html/template, Jinja, Express) escape a value. */
const HTML_VARIANTS: readonly Readonly<Record<string, string>>[] = [
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' },
];

/** String.prototype.toWellFormed, which the es2023 lib does not declare. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The value as given, URL-encoded (as a component, and as the WHATWG URL parser normalises a user
 * name or password, a path and a query), JSON-escaped, HTML-escaped, and lower-cased or in punycode (as a
 * host name is).
 * A lone surrogate is first made well-formed: encodeURIComponent throws on it, and a URL carries U+FFFD.
 */
export function secretForms(value: string): Set<string> {
  const wellFormed = value.replace(LONE_SURROGATE, '\ufffd');
  const forms = new Set([value, wellFormed, encodeURIComponent(wellFormed), JSON.stringify(value).slice(1, -1), value.toLowerCase()]);
  for (const variant of HTML_VARIANTS) forms.add(value.replace(/[&<>"']/g, (c) => variant[c]!));
  for (const form of urlForms(wellFormed)) forms.add(form);
  return forms;
}

function urlForms(value: string): string[] {
  const url = new URL('http://h/');
  url.password = value;
  const userinfo = url.password;
  url.pathname = `/${value}`;
  const path = url.pathname.slice(1);
  url.search = `?${value}`;
  const query = url.search.slice(1);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  return [userinfo, path, query, form, ...hostForm(value)];
}

/** As a host name: lower-cased and, beyond ASCII, in punycode (`Tënant` → `xn--tnant-…`); none if no host. */
function hostForm(value: string): string[] {
  // Only a value that is a whole host name beyond ASCII: `a@b` would register `b`, and `1234` an IPv4 address.
  if (!/[^\x00-\x7f]/.test(value) || /[/?#@:[\]\s\\%]/.test(value)) return [];
  try {
    return [new URL(`http://${value}/`).hostname];
  } catch {
    return [];
  }
}
