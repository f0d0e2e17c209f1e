// `syncproof show ID`: a stored run as its report (human) or its record (json).
import { renderHuman } from '../report/human.ts';
import { renderJson } from '../report/json.ts';
import { redact } from '../secrets.ts';
import type { EvidenceArgs } from './evidence-args.ts';
import { read, suiteStore } from './store-access.ts';

export async function showCommand(args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const opened = await suiteStore(args.config, env);
  if (!opened.ok) return opened.code;
  const { store } = opened;
  const id = args.operands[0]!;
  const found = await read(store, (signal) => store.get(id, signal));
  if (!found.ok) return 1;
  if (!found.value) {
    process.stderr.write(redact(`syncproof: no run ${id} in ${store.target}\n`));
    return 1;
  }
  const { record } = found.value;
  if (args.output === 'json') {
    process.stdout.write(renderJson(record));
    return 0;
  }
  const signed = record.signature ? ` · signed by key ${record.signature.keyId}` : '';
  const report = renderHuman(record, { color: process.stdout.isTTY === true && !env.NO_COLOR });
  // A line saying which stored run this is, then the report as the run printed it.
  process.stdout.write(redact(`run ${record.id} · started ${record.startedAt}${signed}\n`) + report);
  return 0;
}
