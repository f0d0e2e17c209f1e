// The short-run V8 flags (src/process/v8-tuning.ts): their defaults are V8's, so a builtin loaded by
// loadBuiltins keeps Node's code cache, which V8 refuses under any other flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SHORT_RUN_FLAGS } from '../../src/process/v8-tuning.ts';

const TUNING = fileURLToPath(new URL('../../src/process/v8-tuning.ts', import.meta.url));

test('each flag\'s default is the one this Node\'s V8 has', () => {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  for (const [tuned, byDefault] of SHORT_RUN_FLAGS) {
    const name = byDefault.replace(/^--(?:no-)?/, '').replace(/=.*$/, '');
    const entry = new RegExp(`^  --${name} \\(.*\\)\\n\\s+type: \\S+  default: (\\S+)$`, 'm').exec(options);
    assert.ok(entry, `--${name} in --v8-options`);
    assert.equal(entry[1], byDefault, tuned);
    assert.notEqual(tuned, byDefault);
  }
});

/** The builtins Node reports compiled without their code cache, in a process that tunes V8 and then runs `script`. */
function rejected(script: string): Promise<string[]> {
  const source = `import { tuneV8ForShortRun, loadBuiltins } from ${JSON.stringify(TUNING)};\ntuneV8ForShortRun('run');\n${script}`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', source], { env: { PATH: process.env.PATH, NODE_DEBUG_NATIVE: 'CODE_CACHE' } }, (error, _stdout, stderr) => {
      if (error) reject(error);
      else resolve(stderr.split('\n').filter((l) => l.endsWith(' is rejected')).map((l) => l.split(' ')[3]!));
    });
  });
}

test('a builtin loaded through loadBuiltins keeps its code cache under the flags; one loaded directly does not', async () => {
  assert.deepEqual(await rejected("loadBuiltins(['node:zlib', 'node:buffer#File']); process.getBuiltinModule('node:zlib');"), []);
  assert.ok((await rejected("process.getBuiltinModule('node:zlib');")).includes('zlib'));
});
