// A small stand-in for a freshly synced service, so the default example has something real to verify.
import http from 'node:http';

export const DEMO_PORT = 18080;

export function startDemoService(port = DEMO_PORT): Promise<http.Server> {
  const orders = [{ id: 7, status: 'paid' }, { id: 8, status: 'shipped' }];
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-app-version': '1.4.2' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return json(200, { status: 'ok', version: '1.4.2', checks: { db: 'ok', cache: 'ok' } });
    if (req.url === '/api/orders') return json(200, { items: orders, total: orders.length });
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('orders_cache_hits_total 42\n');
    }
    return json(404, { error: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
