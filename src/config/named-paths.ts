// `probes[2].password` → `probes["orders db"].password`: a user finds a probe by its name, not by counting.
import type { SuiteDocument } from './build.ts';
import type { ConfigError } from '../suite.ts';

const PROBE_INDEX = /^probes\[(\d+)\]/;
// As the name's own rules (src/config/schema.ts): one line, no control characters, no spaces around it.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function printable(name: string): boolean {
  return name !== '' && !CONTROL.test(name) && name.trim() === name;
}

/**
 * Error and warning paths name the probe where it has a name of its own. A name given to several probes, or
 * not a plain string, keeps the index: it would not say which probe is meant.
 */
export function withProbeNames(errors: readonly ConfigError[], documents: readonly SuiteDocument[]): ConfigError[] {
  const names = new Map<string, (string | undefined)[]>();
  const count = new Map<string, number>();
  for (const { file, root } of documents) {
    const probes = root.entries.get('probes')?.node;
    const list = probes?.kind === 'seq' ? probes.items.map((item) => {
      const name = item.kind === 'map' ? item.entries.get('name')?.node : undefined;
      return name?.kind === 'scalar' && typeof name.value === 'string' && printable(name.value) && !name.failed && !name.unresolved ? name.value : undefined;
    }) : [];
    for (const name of list) if (name !== undefined) count.set(name, (count.get(name) ?? 0) + 1);
    names.set(file, list);
  }
  return errors.map((error) => {
    const index = PROBE_INDEX.exec(error.path);
    const name = index ? names.get(error.at.file)?.[Number(index[1])] : undefined;
    if (name === undefined || count.get(name) !== 1) return error;
    return { ...error, path: `probes[${JSON.stringify(name)}]${error.path.slice(index![0].length)}` };
  });
}
