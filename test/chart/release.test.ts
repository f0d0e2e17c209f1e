// .github/workflows/release.yml: what it promises (both platforms from the Dockerfile, an SBOM,
// keyless signatures of the image and the chart, actions pinned by commit), and actionlint's
// verdict when tools/actionlint.sh has built it into the CI cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './support/tools.ts';

const FILE = join(REPO, '.github', 'workflows', 'release.yml');
interface Step { uses?: string; run?: string; with?: Record<string, string | boolean> }
interface Job { permissions?: Record<string, string>; steps: Step[] }
const workflow = parse(readFileSync(FILE, 'utf8')) as { jobs: Record<string, Job> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

test('the release builds amd64 and arm64 from the Dockerfile with an SBOM and signs image and chart keylessly', () => {
  const build = steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
  assert.equal(build?.with?.file, 'Dockerfile');
  assert.equal(build?.with?.platforms, 'linux/amd64,linux/arm64');
  assert.equal(build?.with?.sbom, true);
  assert.equal(build?.with?.push, true);
  const signs = steps.filter((s) => /cosign sign --yes "\$(IMAGE|CHART)"/.test(s.run ?? ''));
  assert.equal(signs.length, 2, 'the image and the chart');
  assert.ok(steps.some((s) => /helm push .* "oci:\/\//.test(s.run ?? '')), 'the chart as an OCI artifact');
  for (const [name, job] of Object.entries(workflow.jobs)) assert.equal(job.permissions?.['id-token'], 'write', `${name}: an OIDC token for Fulcio`);
});

test('every action is pinned to a commit', () => {
  for (const s of steps.filter((step) => step.uses)) assert.match(s.uses ?? '', /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, s.uses);
});

const actionlint = join(process.env.SYNCPROOF_CI_CACHE ?? '/var/cache/syncproof-ci', 'tools', 'actionlint-v1.7.12');
test('actionlint finds nothing', { skip: existsSync(actionlint) ? undefined : 'run tools/actionlint.sh once to build it' }, () => {
  const result = spawnSync(join(REPO, 'tools', 'actionlint.sh'), ['-no-color', '-oneline', FILE], { encoding: 'utf8', cwd: REPO, timeout: 60_000 });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
