// .ci/audit: `npm audit --omit=dev` in CI. The decision (.ci/audit-verdict.ts) against captured npm
// outputs, then the whole script with the real npm against a local advisory endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditVerdict } from '../../.ci/audit-verdict.ts';
import { startAdvisoryEndpoint, type Advisories, type EndpointMode } from './advisory-endpoint.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COULD_NOT_RUN = /^!!! npm audit COULD NOT RUN: the dependencies were NOT checked for known vulnerabilities \(/;

test('a report with high or critical findings fails and names them', () => {
  // npm's documented --json shape (auditReportVersion 2): packages keyed by name, counts in metadata.
  const documented = auditVerdict(fixture('npm-v2-findings.json'), false);
  assert.equal(documented.exitCode, 1);
  assert.deepEqual(documented.lines, [
    'npm audit (production dependencies): 1 critical, 2 high, 1 moderate, 0 low: FAILED',
    '  node-fetch (high)', '  some-client (high)', '  minimist (critical)',
  ]);
  // What npm 11.19.1 really printed for a critical advisory against pg (local endpoint, below).
  const real = auditVerdict(fixture('npm-11.19.1-critical-from-local-endpoint.json'), false);
  assert.equal(real.exitCode, 1);
  assert.deepEqual(real.lines.slice(1), ['  pg (critical)', '  pg-pool (critical)']);
});

test('a report without high or critical findings passes', () => {
  for (const name of ['npm-v2-clean.json', 'npm-v2-moderate-only.json']) {
    const verdict = auditVerdict(fixture(name), true);
    assert.equal(verdict.exitCode, 0, name);
    assert.match(verdict.lines[0]!, /: no high or critical finding$/);
  }
});

test('no report (the endpoint error captured on this network, npm printing nothing or no JSON): loud, fails only when required', () => {
  const endpoint = fixture('npm-11.19.1-endpoint-405.json');
  const loose = auditVerdict(endpoint, false);
  assert.equal(loose.exitCode, 0);
  assert.match(loose.lines[0]!, COULD_NOT_RUN);
  assert.match(loose.lines[0]!, /\(405 Method Not Allowed - POST https:\/\/registry\.npmjs\.org\/-\/npm\/v1\/security\/advisories\/bulk\); not failing/);
  const required = auditVerdict(endpoint, true);
  assert.equal(required.exitCode, 1);
  assert.match(required.lines[0]!, /SYNCPROOF_REQUIRE_AUDIT=1, so this fails$/);
  for (const [output, why] of [['', 'npm printed nothing'], ['npm ERR! oops', 'npm printed no JSON: npm ERR! oops'], ['{"error":{"code":"ENOTFOUND","summary":""}}', 'ENOTFOUND'], ['[]', 'npm printed no JSON']] as const) {
    const verdict = auditVerdict(output, false);
    assert.equal(verdict.exitCode, 0, output);
    assert.ok(verdict.lines[0]!.includes(`(${why}`), verdict.lines[0]);
    assert.equal(auditVerdict(output, true).exitCode, 1, output);
  }
  // A report whose counts are not numbers is not taken for a clean one.
  assert.equal(auditVerdict('{"auditReportVersion":2,"vulnerabilities":{},"metadata":{"vulnerabilities":{}}}', true).exitCode, 1);
});

/** Runs .ci/audit against `registry`; asynchronously, so this process's endpoint can answer npm. */
function runAudit(registry: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // A cache of its own: npm keeps advisory data in its cache, and ~/.npm is not the test's to fill.
  const cache = mkdtempSync(join(tmpdir(), 'syncproof-npm-cache-'));
  return new Promise((resolve) => {
    execFile('bash', ['.ci/audit'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_registry: registry, npm_config_cache: cache, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        rmSync(cache, { recursive: true, force: true });
        resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
      });
  });
}

async function withEndpoint(mode: EndpointMode, fn: (registry: string, asked: () => readonly string[]) => Promise<void>): Promise<void> {
  const endpoint = await startAdvisoryEndpoint(mode);
  try {
    await fn(endpoint.registry, endpoint.asked);
  } finally {
    await endpoint.close();
  }
}

test('.ci/audit with the real npm: a critical advisory for a production dependency fails CI', async () => {
  await withEndpoint({ advisories: { pg: [{ severity: 'critical', vulnerable_versions: '<99.0.0' }] } }, async (registry, asked) => {
    const r = await runAudit(registry);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^npm audit \(production dependencies\): \d+ critical, 0 high, 0 moderate, 0 low: FAILED\n {2}pg \(critical\)\n/);
    assert.ok(asked().includes('pg') && !asked().includes('typescript'), 'production dependencies only');
  });
});

test('.ci/audit with the real npm: no advisory, or only a moderate one, passes', async () => {
  const cases: Advisories[] = [{}, { pg: [{ severity: 'moderate', vulnerable_versions: '<99.0.0' }] }];
  for (const advisories of cases) {
    await withEndpoint({ advisories }, async (registry) => {
      const r = await runAudit(registry);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /: no high or critical finding\n$/);
    });
  }
});

test('.ci/audit with the real npm: an endpoint answering 405 is said loudly, and fails with SYNCPROOF_REQUIRE_AUDIT=1', async () => {
  await withEndpoint(405, async (registry) => {
    const r = await runAudit(registry);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, COULD_NOT_RUN);
    assert.match(r.stdout, /405 Method Not Allowed - POST http:\/\/127\.0\.0\.1:\d+\/-\/npm\/v1\/security\/advisories\/bulk/);
    const required = await runAudit(registry, { SYNCPROOF_REQUIRE_AUDIT: '1' });
    assert.equal(required.code, 1);
    assert.match(required.stdout, /so this fails\n$/);
  });
});
