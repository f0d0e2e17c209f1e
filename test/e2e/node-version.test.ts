// bin/syncproof.js on a Node older than the supported one: a plain sentence and exit 2, never a SyntaxError;
// and `npx syncproof` in a checkout, run by an npm on an older Node, prints no engine warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/syncproof.js', import.meta.url));
/** The machine's own Node (Debian's), older than the project's pinned one on the CI machine. */
const SYSTEM_NODE = '/usr/bin/node';
const systemMajor = existsSync(SYSTEM_NODE) ? Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })) : undefined;

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

test('a Node that reports itself older than 24 gets one sentence and exit 2', async () => {
  const older = 'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"22.11.0"}})';
  const r = await run(process.execPath, ['--import', older, BIN, '--version']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `syncproof needs Node 24 or newer; this is Node 22.11.0 (${process.execPath})\n`);
});

test('the machine\'s older Node runs bin/syncproof.js to that sentence, not to a SyntaxError', { skip: systemMajor === undefined || systemMajor >= 24 ? 'no Node older than 24 at /usr/bin/node' : false }, async () => {
  const r = await run(SYSTEM_NODE, [BIN, '--version']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^syncproof needs Node 24 or newer; this is Node \d+\.\d+\.\d+ \(\/usr\/bin\/node\)\n$/);
});

test('npx syncproof in a checkout, with npm on an older Node, prints no engine warning', { skip: systemMajor === undefined || systemMajor >= 24 || !existsSync('/usr/bin/npx') ? 'no npx on a Node older than 24' : false }, async (t) => {
  // npm itself runs on the machine's Node and installs the checkout into its npx cache (a fresh one here, as
  // on a first call), checking the package's engines there; the bin then runs on the pinned Node 24.
  const cache = mkdtempSync(join(tmpdir(), 'syncproof-npx-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const r = await run('/usr/bin/npx', ['--yes', 'syncproof', '--version'], { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', npm_config_cache: cache });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^syncproof \d+\.\d+\.\d+\n$/);
  assert.equal(r.stderr, '', 'no EBADENGINE or other warning');
});
