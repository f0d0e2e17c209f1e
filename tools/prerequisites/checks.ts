// The shape of a prerequisite and the small checks tools/prerequisites/list.ts is written with.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CACHE = process.env.SYNCPROOF_CI_CACHE ?? '/var/cache/syncproof-ci';

export interface Prerequisite {
  /** What the tests need, as the one-line message names it. */
  readonly name: string;
  /** True when it is there. */
  readonly present: () => boolean;
  /** A Debian package that brings it: installed when running as root with apt-get. */
  readonly debian?: string;
  /** A command (from the repo root) that makes it; `root`: only as root. */
  readonly build?: readonly string[];
  readonly root?: boolean;
  /** What a person does when it cannot be installed here. */
  readonly how?: string;
  /** Which tests need it (for the reader of the list). */
  readonly for: string;
}

type Check = () => boolean;

export function file(path: string): Check {
  return () => executable(path);
}

export function command(name: string): Check {
  return () => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function glob(pattern: string): Check {
  return () => spawnSync('sh', ['-c', `ls ${pattern}`], { stdio: 'ignore' }).status === 0;
}

export function goVersion(major: number, minor: number): Check {
  return () => {
    const out = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).stdout ?? '';
    const match = /^go(\d+)\.(\d+)/.exec(out.trim());
    return match !== null && (Number(match[1]) > major || (Number(match[1]) === major && Number(match[2]) >= minor));
  };
}

let toolPaths: Map<string, string> | undefined;
/** Where tools/go-tools.sh puts (or has put) each tool, for the pinned versions. */
export function goToolPaths(): Map<string, string> {
  if (!toolPaths) {
    const out = spawnSync('bash', [join(REPO, 'tools', 'go-tools.sh'), '--print', 'all'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`tools/go-tools.sh --print: ${out.stderr}`);
    toolPaths = new Map(out.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
  }
  return toolPaths;
}

export function goTool(name: string): Check {
  return () => executable(goToolPaths().get(name) ?? '');
}

export const SCHEMAS_DIR = join(CACHE, 'chart-tools');
export function npmCache(): Check {
  return () => spawnSync('bash', [join(REPO, 'tools', 'k8s-schemas.sh'), '--check'], { stdio: 'ignore' }).status === 0;
}

export function image(ref: string): Check {
  return () => spawnSync('podman', ['image', 'exists', ref], { stdio: 'ignore' }).status === 0;
}

function executable(path: string): boolean {
  if (!path || !existsSync(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
