// The smallest client doing what 200 http probes do: GET the URL N times, CONCURRENCY at a time, each on a
// new undici Agent (a new connection), the body read; no config, no flags, no checks beyond the status.
// Usage: node bench/undici-loop.ts URL N CONCURRENCY   (exit 0 when every request answered 2xx)
import { Agent, request } from 'undici';

const [url, count, concurrency] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
let next = 0;
let failed = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < count) {
    next++;
    const agent = new Agent();
    try {
      const res = await request(url, { dispatcher: agent });
      await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) failed++;
    } finally {
      await agent.destroy();
    }
  }
}));
process.exitCode = failed ? 1 : 0;
