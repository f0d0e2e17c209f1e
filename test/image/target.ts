// The real target the image probes in .ci/image-check: a tiny HTTP server on 127.0.0.1.
// Prints its port on stdout, then serves until killed. Requires the bearer token given in TARGET_TOKEN.
import { createServer } from 'node:http';

const token = process.env.TARGET_TOKEN ?? '';
const routes: Record<string, { status: number; body: unknown }> = {
  '/healthz': { status: 200, body: { status: 'ok', orders: 3 } },
  '/ready': { status: 503, body: { status: 'warming up' } },
};

const server = createServer((req, res) => {
  const route = routes[req.url ?? ''];
  const authorized = token !== '' && req.headers.authorization === `Bearer ${token}`;
  const { status, body } = !authorized ? { status: 401, body: { error: 'unauthorized' } } : route ?? { status: 404, body: { error: 'not found' } };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  process.stdout.write(`${address.port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
