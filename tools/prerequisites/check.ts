// `npm test` runs this first: every prerequisite of tools/prerequisites/list.ts is checked; what is
// missing is installed when it may be (Debian packages as root with apt-get, one apt call; the
// Go-built tools and the schemas always, into the cache; the image as root), and whatever is still
// missing stops the run with ONE line naming it and how to get it. Silent when all is there.
//   node tools/prerequisites/check.ts [--check]   (--check: install nothing, only report)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO, type Prerequisite } from './checks.ts';
import { PREREQUISITES } from './list.ts';

const installing = !process.argv.includes('--check');
const root = process.getuid?.() === 0;
const log = (line: string) => process.stderr.write(`prerequisites: ${line}\n`);

function run(argv: readonly string[]): boolean {
  const [cmd, ...args] = argv as [string, ...string[]];
  return spawnSync(cmd, args, { cwd: REPO, stdio: ['ignore', 2, 2] }).status === 0;
}

function installDebian(packages: readonly string[]): void {
  if (packages.length === 0 || !root || !existsSync('/usr/bin/apt-get')) return;
  log(`apt-get install ${packages.join(' ')}`);
  // The lock serialises apt between concurrent runs on one machine; apt's own lock would fail them.
  const apt = existsSync('/usr/bin/flock') ? ['flock', '/tmp/apt.lock', 'apt-get'] : ['apt-get'];
  process.env.DEBIAN_FRONTEND = 'noninteractive';
  run([...apt, 'update', '-qq']);
  run([...apt, 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

function howTo(p: Prerequisite): string {
  const failed = installing ? ' failed' : '';
  if (p.debian) return root ? `apt-get install ${p.debian}${failed}` : `apt-get install ${p.debian}, as root`;
  if (p.build && (!p.root || root)) return `${p.build.join(' ')}${failed}`;
  return p.how ?? p.build?.join(' ') ?? 'see tools/prerequisites/list.ts';
}

let missing = PREREQUISITES.filter((p) => !p.present());
if (installing && missing.length > 0) {
  installDebian(missing.flatMap((p) => (p.debian ? [p.debian] : [])));
  for (const p of missing) {
    if (!p.build || (p.root && !root) || p.present()) continue;
    log(`${p.name}: ${p.build.join(' ')}`);
    run(p.build);
  }
  missing = missing.filter((p) => !p.present());
}
if (missing.length > 0) {
  process.stderr.write(`npm test cannot run: missing ${missing.map((p) => `${p.name} (${howTo(p)})`).join('; ')}\n`);
  process.exit(1);
}
