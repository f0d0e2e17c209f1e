// Fault matrix, data-layer rows: authentication failure, and the primary killed (SIGKILL of its whole
// process group) in the middle of a run, for PostgreSQL, MariaDB and Redis.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMariaDb, provision, MONITOR } from '../support/mysql.ts';
import { startPostgres, waitFor } from '../support/postgres.ts';
import { startRedis } from '../support/redis.ts';
import { assertRunGuarantees, row, runFault, STARTUP_MS } from './harness.ts';

const ONCE = 'defaults:\n  within: 0s\n  timeout: 1s\n';
const FAILED_RUN = { code: 1, verdict: 'failed', withinMs: 1000 + STARTUP_MS + 2000 } as const;
const WRONG = { env: { DB_PW: 'Wrong-pw-4242' } };

/** SIGKILL to the server's whole process group: the host crashed, nothing shuts down cleanly. */
function killGroup(pid: number): void {
  process.kill(-pid, 'SIGKILL');
}

describe('data-layer faults', { concurrency: true }, () => {
  test('postgres: authentication failure; the primary killed mid-query', async (t) => {
    const server = await startPostgres({ passwordAuth: true });
    t.after(() => server.stop());
    await server.query("CREATE ROLE monitor LOGIN PASSWORD 'Right-pw-31337'");
    const auth = await runFault(t, { ...WRONG, suite: `${ONCE}probes:
  - { name: login, type: postgres, url: "postgres://monitor@127.0.0.1:${server.port}/postgres", password: "\${env:DB_PW}" }` });
    assertRunGuarantees(auth, FAILED_RUN);
    row('authentication failure', auth, 'login', { verdict: 'failed', reason: /^authentication failed for user "monitor" \(not retried\)$/, maxMs: 2000 });

    const running = runFault(t, { env: { DB_PW: 'Right-pw-31337' }, suite: `defaults:\n  within: 0s\n  timeout: 8s\nprobes:
  - { name: query, type: postgres, url: "postgres://monitor@127.0.0.1:${server.port}/postgres", password: "\${env:DB_PW}", query: "SELECT pg_sleep(6)" }` });
    await waitFor(async () => (await server.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(6)%' AND pid <> pg_backend_pid()")).length > 0, 'the probe\'s query');
    killGroup(Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
    const killed = await running;
    assertRunGuarantees(killed, { ...FAILED_RUN, withinMs: 8000 + STARTUP_MS });
    const probe = row('primary killed mid-query', killed, 'query', { verdict: 'failed', reason: /^connection closed by server \(127\.0\.0\.1:\d+\)$/, maxMs: 6000 });
    assert.doesNotMatch(probe.summary, /timeout/, 'the crash is seen as it happens, not at the timeout');
  });

  test('mysql: authentication failure; the primary killed mid-query', async (t) => {
    const server = await startMariaDb();
    t.after(() => server.stop());
    await provision(server);
    const auth = await runFault(t, { ...WRONG, suite: `${ONCE}probes:
  - { name: login, type: mysql, url: "${server.url()}", password: "\${env:DB_PW}" }` });
    assertRunGuarantees(auth, FAILED_RUN);
    row('authentication failure', auth, 'login', { verdict: 'failed', reason: /^authentication failed for user "monitor" \(not retried\)$/, maxMs: 2000 });

    const running = runFault(t, { env: { DB_PW: MONITOR.password }, suite: `defaults:\n  within: 0s\n  timeout: 8s\nprobes:
  - { name: query, type: mysql, url: "${server.url()}", password: "\${env:DB_PW}", query: "SELECT SLEEP(6)" }` });
    await waitFor(async () => (await server.query("SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(6)%' AND ID <> CONNECTION_ID()")).length > 0, 'the probe\'s query');
    const [pidFile] = await server.query('SELECT @@pid_file AS f');
    killGroup(Number(readFileSync(String(pidFile?.f), 'utf8').trim()));
    const killed = await running;
    assertRunGuarantees(killed, { ...FAILED_RUN, withinMs: 8000 + STARTUP_MS });
    const probe = row('primary killed mid-query', killed, 'query', { verdict: 'failed', reason: /^connection closed by peer \(127\.0\.0\.1:\d+\)$/, maxMs: 6000 });
    assert.doesNotMatch(probe.summary, /timeout/, 'the crash is seen as it happens, not at the timeout');
  });

  test('redis: authentication failure; the primary killed between attempts', async (t) => {
    const server = await startRedis();
    t.after(() => server.stop());
    await server.admin('ACL', 'SETUSER', 'app', 'on', '>Right-pw-123', '~*', '+@all');
    const url = `redis://app:\${env:DB_PW}@127.0.0.1:${server.port}/0`;
    const auth = await runFault(t, { ...WRONG, suite: `${ONCE}probes:\n  - { name: login, type: redis, url: "${url}" }` });
    assertRunGuarantees(auth, FAILED_RUN);
    row('authentication failure', auth, 'login', { verdict: 'failed', reason: /^authentication failed for user "app" \(not retried\)$/, maxMs: 2000 });

    // 100 consecutive passes at 100 ms cannot finish before the kill; `within` bounds the retries after it.
    const running = runFault(t, { env: { DB_PW: 'Right-pw-123' }, suite: `defaults:\n  within: 2s\n  interval: 100ms\n  passes: 100\n  timeout: 1s\nprobes:\n  - { name: ping, type: redis, url: "${url}" }` });
    await waitFor(async () => /total_connections_received:([3-9]|\d\d)/.test(String(await server.admin('INFO', 'stats'))), 'probe attempts');
    await server.stop();
    const killed = await running;
    assertRunGuarantees(killed, { ...FAILED_RUN, withinMs: 3000 + STARTUP_MS });
    row('primary killed between attempts', killed, 'ping', { verdict: 'failed', reason: /^connection refused \(127\.0\.0\.1:\d+\)/, maxMs: 2000 + 1000 + 1000 });
  });
});
