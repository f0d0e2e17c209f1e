// A test server's program is checked before it is started. Missing (a fresh machine before `npm run
// prerequisites`, or while apt is still installing it), it is one line saying what to do, not a spawn
// error: an ENOENT from spawning dnsmasq ended the test process in a native assertion of Node 24.
import { PREREQUISITES } from '../../tools/prerequisites/list.ts';

/** Throws, naming the fix, unless the prerequisite `name` (tools/prerequisites/list.ts) is present. */
export function needs(name: string): void {
  const prerequisite = PREREQUISITES.find((p) => p.name === name);
  if (prerequisite === undefined) throw new Error(`no prerequisite "${name}" in tools/prerequisites/list.ts`);
  if (prerequisite.present()) return;
  const install = prerequisite.debian ? `, or install the Debian package ${prerequisite.debian}` : '';
  throw new Error(`${prerequisite.name} is missing (${prerequisite.for}): run \`npm run prerequisites\`${install}`);
}
