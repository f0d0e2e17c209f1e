// A local stand-in for the registry's advisory endpoint (POST /-/npm/v1/security/advisories/bulk), so
// the real npm produces its real report: with an advisory for an installed package, with none, or
// refused with 405 as the registry answers from this network. Every other request (packuments npm
// asks for to compute fixes) gets 404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type Advisories = Readonly<Record<string, readonly { readonly severity: string; readonly vulnerable_versions: string }[]>>;
export type EndpointMode = { readonly advisories: Advisories } | 405;

export interface AdvisoryEndpoint {
  readonly registry: string;
  /** Package names npm asked about. */
  readonly asked: () => readonly string[];
  close(): Promise<void>;
}

export async function startAdvisoryEndpoint(mode: EndpointMode): Promise<AdvisoryEndpoint> {
  let asked: string[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.includes('/security/advisories/bulk')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      if (mode === 405) {
        res.writeHead(405, { allow: 'GET,HEAD' }).end();
        return;
      }
      const raw = Buffer.concat(parts);
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString()) as Record<string, string[]>;
      asked = Object.keys(body);
      const reply: Record<string, unknown[]> = {};
      // npm caches what it computes per advisory id: ids never repeat across endpoints.
      let id = 1_000_000 + Math.floor(Math.random() * 8_000_000);
      for (const [name, list] of Object.entries(mode.advisories)) {
        if (!(name in body)) continue;
        reply[name] = list.map((a) => ({
          id: id++, url: `https://github.com/advisories/GHSA-test-${id}`, title: `test advisory for ${name}`,
          severity: a.severity, vulnerable_versions: a.vulnerable_versions, cwe: [], cvss: { score: 0, vectorString: null },
        }));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registry: `http://127.0.0.1:${port}/`,
    asked: () => asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
