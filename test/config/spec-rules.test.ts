// A probe or sink type's own rules across its keys (`.refine`/`.superRefine` on its spec object) hold at the
// boundary, positioned like every other configuration error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/config/load.ts';
import type { Suite } from '../../src/suite.ts';
import { formatConfigErrors } from '../../src/config/errors.ts';
import { probeSchema, sinkSchema } from '../../src/config/schema.ts';
import { probeTypes } from '../../src/probes/index.ts';
import { sinkTypes } from '../../src/sinks/index.ts';
import { runCli, tempFiles } from '../support/cli.ts';

async function errorLines(t: { after: (fn: () => void) => void }, yaml: string): Promise<string[]> {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.equal(result.ok, false, 'the suite should not load');
  return result.ok ? [] : formatConfigErrors(result.errors).split('\n').map((line) => line.replaceAll(files.path('suite.yaml'), 'suite.yaml'));
}

/** The suite `yaml` describes, which must load. */
async function loads(t: { after: (fn: () => void) => void }, yaml: string): Promise<Suite> {
  const files = tempFiles({ 'suite.yaml': yaml });
  t.after(files.cleanup);
  const result = await loadSuite(files.path('suite.yaml'), {});
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  return result.suite;
}

const redis = (extra: string) => `probes:\n  - name: cache\n    type: redis\n${extra}`;

test('redis: `tls` with a redis:// url is reported at the tls key', async (t) => {
  assert.deepEqual(await errorLines(t, redis('    url: redis://127.0.0.1:6379\n    tls:\n      insecure: true\n')), [
    'suite.yaml:5:5  probes["cache"].tls  `tls` needs a rediss:// url',
  ]);
  assert.deepEqual(await errorLines(t, redis('    url: REDIS://127.0.0.1\n    tls: {insecure: true}\n')), [
    'suite.yaml:5:5  probes["cache"].tls  `tls` needs a rediss:// url',
  ]);
});

test('redis: `allowWrite: true` without a command is reported at allowWrite', async (t) => {
  assert.deepEqual(await errorLines(t, redis('    url: redis://127.0.0.1:6379\n    allowWrite: true\n')), [
    'suite.yaml:5:17  probes["cache"].allowWrite  `allowWrite` needs a `command`',
  ]);
});

test('both redis rules at once, beside an error in another probe', async (t) => {
  const yaml = `${redis('    url: redis://127.0.0.1\n    allowWrite: true\n    tls:\n      ca: /ca.pem\n')}  - name: port\n    type: tcp\n    host: 127.0.0.1\n    port: 0\n`;
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:5:17  probes["cache"].allowWrite  `allowWrite` needs a `command`',
    'suite.yaml:6:5  probes["cache"].tls  `tls` needs a rediss:// url',
    'suite.yaml:11:11  probes["port"].port  must be at least 1',
  ]);
});

test('a suite that keeps the rules loads', async (t) => {
  const suite = await loads(t, redis('    url: rediss://127.0.0.1:6380\n    tls: {insecure: true}\n    command: [SET, k, v]\n    allowWrite: true\n'));
  assert.equal(suite.probes[0]!.spec.allowWrite, true);
});

test('syncproof validate exits 2 with FILE:LINE:COL for a broken cross-key rule', async (t) => {
  const files = tempFiles({ 'suite.yaml': redis('    url: redis://127.0.0.1:6379\n    tls:\n      insecure: true\n') });
  t.after(files.cleanup);
  const run = await runCli(['validate', '--config', files.path('suite.yaml')]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.ok(run.stderr.includes(`${files.path('suite.yaml')}:5:5  probes["cache"].tls  \`tls\` needs a rediss:// url`), run.stderr);
});

const checksOf = (schema: unknown): readonly unknown[] => (schema as { _zod: { def: { checks?: readonly unknown[] } } })._zod.def.checks ?? [];

test('every probe and sink schema carries all of its spec object\'s own checks', () => {
  for (const [union, registry] of [[probeSchema(), probeTypes], [sinkSchema(), sinkTypes]] as const) {
    for (const type of Object.values(registry)) {
      const option = union.def.options.find((o) => o.shape.type.def.values.includes(type.type));
      assert.ok(option, `${type.type}: an option in the union`);
      for (const check of checksOf(type.spec)) assert.ok(checksOf(option).includes(check), `${type.type}: a check of its spec is not applied`);
    }
  }
  assert.ok(checksOf(probeTypes.redis!.spec).length > 0, 'redis has object-level checks, so this test checks something');
});

const sql = (type: 'postgres' | 'mysql', extra: string) => `probes:\n  - name: db\n    type: ${type}\n${extra}`;

test('postgres and mysql: `params` without a `query` is reported at params', async (t) => {
  for (const type of ['postgres', 'mysql'] as const) {
    assert.deepEqual(await errorLines(t, sql(type, '    host: 127.0.0.1\n    params: [1, "a"]\n')), [
      'suite.yaml:5:5  probes["db"].params  `params` needs a `query`',
    ], type);
  }
});

test('postgres: a `ca` that no ssl mode would use is reported at ca, naming where the mode came from', async (t) => {
  const only = 'only ssl: verify (or sslmode=verify-full/verify-ca) checks the certificate';
  const cases: [string, string][] = [
    ['    host: 127.0.0.1\n    ca: /ca.pem\n', `suite.yaml:5:9  probes["db"].ca  \`ca\` would be ignored with no \`ssl\` (TLS off): ${only}`],
    ['    host: 127.0.0.1\n    ssl: require\n    ca: /ca.pem\n', `suite.yaml:6:9  probes["db"].ca  \`ca\` would be ignored with ssl: require: ${only}`],
    ['    url: postgres://u@127.0.0.1/db?sslmode=prefer\n    ca: /ca.pem\n', `suite.yaml:5:9  probes["db"].ca  \`ca\` would be ignored with the url's sslmode=prefer: ${only}`],
    // The key wins over the url's sslmode, as when connecting.
    ['    url: postgres://u@127.0.0.1/db?sslmode=verify-full\n    ssl: disable\n    ca: /ca.pem\n', `suite.yaml:6:9  probes["db"].ca  \`ca\` would be ignored with ssl: disable: ${only}`],
  ];
  for (const [extra, line] of cases) assert.deepEqual(await errorLines(t, sql('postgres', extra)), [line], extra);
});

test('mysql: a `ca` that no ssl mode would use is reported at ca, naming where the mode came from', async (t) => {
  const only = 'only ssl: verify (or ssl-mode=VERIFY_CA/VERIFY_IDENTITY) checks the certificate';
  const cases: [string, string][] = [
    ['    host: 127.0.0.1\n    ca: /ca.pem\n', `suite.yaml:5:9  probes["db"].ca  \`ca\` would be ignored with no \`ssl\` (TLS off): ${only}`],
    ['    host: 127.0.0.1\n    ssl: disable\n    ca: /ca.pem\n', `suite.yaml:6:9  probes["db"].ca  \`ca\` would be ignored with ssl: disable: ${only}`],
    ['    url: mysql://u@127.0.0.1/db?ssl-mode=REQUIRED\n    ca: /ca.pem\n', `suite.yaml:5:9  probes["db"].ca  \`ca\` would be ignored with the url's ssl-mode=REQUIRED: ${only}`],
    ['    url: mysql://u@127.0.0.1/db?sslmode=preferred\n    ca: /ca.pem\n', `suite.yaml:5:9  probes["db"].ca  \`ca\` would be ignored with the url's ssl-mode=preferred: ${only}`],
  ];
  for (const [extra, line] of cases) assert.deepEqual(await errorLines(t, sql('mysql', extra)), [line], extra);
});

test('postgres and mysql: a bad url is reported once, without a cross-key rule stumbling over it', async (t) => {
  assert.deepEqual(await errorLines(t, sql('postgres', '    url: postgres://[bad\n    ca: /ca.pem\n')), [
    'suite.yaml:4:10  probes["db"].url  is not a valid URL',
  ]);
  assert.deepEqual(await errorLines(t, sql('mysql', '    url: mysql://[bad\n    ca: /ca.pem\n    params: [1]\n')), [
    'suite.yaml:4:10  probes["db"].url  is not a valid URL',
  ]);
});

test('postgres and mysql: a ca with a verifying mode, and params with a query, load', async (t) => {
  const suite = await loads(t, `${sql('postgres', '    url: postgres://u@127.0.0.1/db?sslmode=verify-ca\n    ca: /ca.pem\n    query: SELECT $1\n    params: [1]\n')}`
      + '  - name: db2\n    type: postgres\n    ssl: verify\n    ca: /ca.pem\n'
      + '  - name: my\n    type: mysql\n    url: mysql://u@127.0.0.1/db?ssl-mode=VERIFY_IDENTITY\n    ca: /ca.pem\n    query: SELECT ?\n    params: [1]\n'
      + '  - name: my2\n    type: mysql\n    url: mysql://u@127.0.0.1/db?ssl-mode=DISABLED\n    ssl: verify\n    ca: /ca.pem\n');
  assert.equal(suite.probes.length, 4);
});

const http = (extra: string) => `probes:\n  - name: web\n    type: http\n${extra}`;

test('http: header names and values are checked as the webhook sink checks them', async (t) => {
  const yaml = http('    url: http://127.0.0.1\n    headers:\n      bad name: x\n      X-Two: "a\\nb"\n      X-Bell: "a\\u0007b"\n      X-Euro: "€"\n      Content-Length: "3"\n      expect: 100-continue\n');
  assert.deepEqual(await errorLines(t, yaml), [
    'suite.yaml:6:17  probes["web"].headers["bad name"]  is not a valid header name',
    'suite.yaml:7:14  probes["web"].headers.X-Two  must be a single line',
    'suite.yaml:8:15  probes["web"].headers.X-Bell  must not contain control characters or characters beyond U+00FF (the HTTP client refuses them)',
    'suite.yaml:9:15  probes["web"].headers.X-Euro  must not contain control characters or characters beyond U+00FF (the HTTP client refuses them)',
    'suite.yaml:10:23  probes["web"].headers.Content-Length  is set or refused by the HTTP client, not by the suite',
    'suite.yaml:11:15  probes["web"].headers.expect  is set or refused by the HTTP client, not by the suite',
  ]);
});

test('http: headers the probe may set (Content-Type, Host, Authorization, Latin-1 text) load', async (t) => {
  await loads(t, http('    url: http://127.0.0.1\n    headers:\n      Content-Type: text/plain\n      Host: shop.example.com\n      Authorization: Bearer t\n      X-Note: "café\\tau lait"\n'));
});

test('http: `tls` with an http:// url is an error when no redirect could lead to https', async (t) => {
  assert.deepEqual(await errorLines(t, http('    url: HTTP://127.0.0.1\n    followRedirects: false\n    tls:\n      insecure: true\n')), [
    'suite.yaml:6:5  probes["web"].tls  `tls` would be ignored: the url is http:// and redirects are not followed',
  ]);
  // Followed redirects may reach https://, where `tls` applies.
  await loads(t, http('    url: http://127.0.0.1\n    tls: {insecure: true}\n'));
});

test('http: a bad method says what a method is', async (t) => {
  assert.deepEqual(await errorLines(t, http('    url: http://127.0.0.1\n    method: GET /\n')), [
    'suite.yaml:5:13  probes["web"].method  must be an HTTP method name, letters only, such as GET, HEAD or POST',
  ]);
});

test('postgres, mysql, redis and the postgres sink: a malformed %-escape in the url is a configuration error, not an internal error at run time', async (t) => {
  assert.deepEqual(await errorLines(t, sql('postgres', '    url: postgres://%zz@127.0.0.1/db\n')), [
    'suite.yaml:4:10  probes["db"].url  has a malformed %-escape (write %25 for a literal %)',
  ]);
  assert.deepEqual(await errorLines(t, sql('mysql', '    url: mysql://u:p%@127.0.0.1/db%E0\n')), [
    'suite.yaml:4:10  probes["db"].url  has a malformed %-escape (write %25 for a literal %)',
  ]);
  assert.deepEqual(await errorLines(t, 'probes:\n  - name: r\n    type: redis\n    url: redis://:p%zz@127.0.0.1\n'), [
    'suite.yaml:4:10  probes["r"].url  has a malformed %-escape (write %25 for a literal %)',
  ]);
  const sink = 'probes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\nsinks:\n  - type: postgres\n    url: postgres://u:p%zz@127.0.0.1/db\n';
  assert.deepEqual(await errorLines(t, sink), ['suite.yaml:8:10  sinks[0].url  has a malformed %-escape (write %25 for a literal %)']);
});

test('postgres probe and sink: an unknown sslmode is a configuration error, not plain text', async (t) => {
  const message = 'has an unknown sslmode: use one of disable, allow, prefer, require, verify-ca, verify-full';
  assert.deepEqual(await errorLines(t, sql('postgres', '    url: postgres://u@127.0.0.1/db?sslmode=verify_full\n')), [
    `suite.yaml:4:10  probes["db"].url  ${message}`,
  ]);
  const sink = `probes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\nsinks:\n  - type: postgres\n    url: postgres://u:p@127.0.0.1/db?sslmode=Require\n`;
  assert.deepEqual(await errorLines(t, sink), [`suite.yaml:8:10  sinks[0].url  ${message}`]);
  await loads(t, sql('postgres', '    url: postgres://u@127.0.0.1/db?sslmode=verify-full\n'));
});

test('redis: a bad url is reported once, without the cross-key rules reading it', async (t) => {
  assert.deepEqual(await errorLines(t, redis('    url: redis://[bad\n    tls: {insecure: true}\n')), [
    'suite.yaml:4:10  probes["cache"].url  is not a valid URL',
  ]);
});

const tcpThen = (sinks: string) => `probes:\n  - name: p\n    type: tcp\n    host: 127.0.0.1\n    port: 1\nsinks:\n${sinks}`;

test('postgres sink: a `ca` that the ssl mode would ignore is reported at ca, as for the probe', async (t) => {
  const only = 'only ssl: verify (or sslmode=verify-full/verify-ca) checks the certificate';
  assert.deepEqual(await errorLines(t, tcpThen('  - type: postgres\n    url: postgres://u@127.0.0.1/db?sslmode=require\n    ca: /ca.pem\n')), [
    `suite.yaml:9:9  sinks[0].ca  \`ca\` would be ignored with the url's sslmode=require: ${only}`,
  ]);
  await loads(t, tcpThen('  - type: postgres\n    url: postgres://u@127.0.0.1/db\n    ssl: verify\n    ca: /ca.pem\n'));
});

test('webhook sink: its timeout is a duration like every other, at most 24d', async (t) => {
  assert.deepEqual(await errorLines(t, tcpThen('  - type: webhook\n    url: http://127.0.0.1/hook\n    timeout: 25d\n  - type: webhook\n    url: http://127.0.0.1/hook\n    timeout: 1s1m\n')), [
    'suite.yaml:9:14  sinks[0].timeout  must be at most 24d',
    'suite.yaml:12:14  sinks[1].timeout  must be a duration with its units largest first (d, h, m, s, ms), e.g. 1m30s, got "1s1m"',
  ]);
});

test('a line on a field observed only with a key the probe does not set could never pass: a configuration error', async (t) => {
  const yaml = [
    'probes:',
    '  - name: primary',
    '    type: postgres',
    '    url: postgres://app@127.0.0.1/orders',
    '    expect: [connected, writable, "value == 1", rowCount > 0]',
    '  - name: replica',
    '    type: mysql',
    '    url: mysql://app@127.0.0.1/orders',
    '    writeCheck: false',
    '    expect: ["!writable", "rows.length > 0", row.id == 1]',
    '  - name: cache',
    '    type: redis',
    '    url: redis://127.0.0.1',
    '    expect: ["result == \'on\'", writable]',
    '',
  ].join('\n');
  const never = (field: string, key: string) => `"${field}" is observed only with \`${key}\`, which this probe does not set: this line could never pass (set ${key}, or remove the line)`;
  assert.deepEqual(await errorLines(t, yaml), [
    `suite.yaml:5:25  probes["primary"].expect[1]  ${never('writable', 'writeCheck')}`,
    `suite.yaml:5:35  probes["primary"].expect[2]  ${never('value', 'query')}`,
    `suite.yaml:5:49  probes["primary"].expect[3]  ${never('rowCount', 'query')}`,
    `suite.yaml:10:14  probes["replica"].expect[0]  ${never('writable', 'writeCheck')}`,
    `suite.yaml:10:27  probes["replica"].expect[1]  ${never('rows', 'query')}`,
    `suite.yaml:10:46  probes["replica"].expect[2]  ${never('row', 'query')}`,
    `suite.yaml:14:14  probes["cache"].expect[0]  ${never('result', 'command')}`,
    `suite.yaml:14:32  probes["cache"].expect[1]  ${never('writable', 'writeCheck')}`,
  ]);
  await loads(t, 'probes:\n  - name: p\n    type: postgres\n    query: SELECT 1\n    writeCheck: {table: canary}\n    expect: [writable, value == 1, rows.length == 1, rowCount == 1, row.x == 1]\n'
    + '  - name: r\n    type: redis\n    url: redis://127.0.0.1\n    command: [GET, k]\n    writeCheck: true\n    expect: [writable, "result == \'on\'"]\n');
});

test('a host written as a URL is a configuration error that says what to write', async (t) => {
  assert.deepEqual(await errorLines(t, [
    'probes:',
    '  - { name: db port, type: tcp, host: "tcp://127.0.0.1:5432", port: 5432 }',
    '  - { name: db, type: postgres, host: "postgres://db.internal:5432" }',
    '  - { name: cert, type: tls, host: "https://orders.example.com", port: 443 }',
    '',
  ].join('\n')), [
    'suite.yaml:2:39  probes["db port"].host  must be a host name or address, not a URL: write host: 127.0.0.1 and port: 5432',
    'suite.yaml:3:39  probes["db"].host  must be a host name or address, not a URL: write host: db.internal and port: 5432, or give the whole URL as url:',
    'suite.yaml:4:36  probes["cert"].host  must be a host name or address, not a URL: write host: orders.example.com',
  ]);
});
