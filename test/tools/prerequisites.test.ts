// tools/prerequisites: what npm test checks first. A missing prerequisite stops the run with ONE
// line naming it and how to get it (here: the Go-built tools and the schemas, with an empty cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREREQUISITES } from '../../tools/prerequisites/list.ts';
import { needs } from '../support/prerequisite.ts';

const CHECK = join(import.meta.dirname, '..', '..', 'tools', 'prerequisites', 'check.ts');

test('with an empty tool cache: exit 1 and one line naming each missing tool and the command that builds it', (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'syncproof-prereq-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const result = spawnSync(process.execPath, [CHECK, '--check'], { encoding: 'utf8', env: { ...process.env, SYNCPROOF_CI_CACHE: cache } });
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? '', /^npm test cannot run: missing (?:.*; )?helm \(bash tools\/go-tools\.sh helm\); kustomize \(bash tools\/go-tools\.sh kustomize\); .*Kubernetes schemas \(bash tools\/k8s-schemas\.sh\)$/);
});

test('with everything there (as npm test left it): silent, exit 0', () => {
  const result = spawnSync(process.execPath, [CHECK, '--check'], { encoding: 'utf8' });
  assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
});

test('every prerequisite can be installed or says how', () => {
  for (const p of PREREQUISITES) assert.ok(p.debian ?? p.build ?? p.how, p.name);
});

test('a test server checks its program first: needs() passes for one present, names the list for an unknown one', () => {
  needs('openssl');
  assert.throws(() => needs('no such program'), /no prerequisite "no such program" in tools\/prerequisites\/list\.ts/);
});
