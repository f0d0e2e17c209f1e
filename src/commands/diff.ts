// `syncproof diff ID1 ID2`: what changed from the first run to the second.
import { displayValue } from '../assert/values.ts';
import type { FieldKind } from '../probes/types.ts';
import { redact, redactDeep } from '../secrets.ts';
import { diffRuns, MOVE_SHARE, type ObservationMove, type RunDiff } from '../store/diff.ts';
import type { StoredRecord } from '../store/record-shape.ts';
import type { EvidenceArgs } from './evidence-args.ts';
import { summary } from './history.ts';
import { read, suiteStore } from './store-access.ts';

export async function diffCommand(args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const opened = await suiteStore(args.config, env);
  if (!opened.ok) return opened.code;
  const { store } = opened;
  const runs: StoredRecord[] = [];
  for (const id of args.operands) {
    const found = await read(store, (signal) => store.get(id, signal));
    if (!found.ok) return 1;
    if (!found.value) {
      process.stderr.write(redact(`syncproof: no run ${id} in ${store.target}\n`));
      return 1;
    }
    runs.push(found.value.record);
  }
  const [a, b] = runs as [StoredRecord, StoredRecord];
  const diff = diffRuns(a, b);
  process.stdout.write(args.output === 'json'
    ? `${JSON.stringify(redactDeep({ from: summary(a), to: summary(b), ...diff }), null, 2)}\n`
    : redact(humanDiff(a, b, diff)));
  return 0;
}

const MARK = { passed: '✓', failed: '✗', warned: '!', skipped: '-' } as const;

function humanDiff(a: StoredRecord, b: StoredRecord, d: RunDiff): string {
  const run = (r: StoredRecord) => `${r.id.slice(0, 8)} (${r.app.name ? `${r.app.name}${r.app.revision ? `@${r.app.revision.slice(0, 7)}` : ''}, ` : ''}${r.startedAt}, ${r.verdict})`;
  const lines = [`diff ${run(a)} → ${run(b)}`];
  if (d.verdict.from !== d.verdict.to) lines.push(`verdict: ${d.verdict.from} → ${d.verdict.to}`);
  if (d.probes.length) {
    lines.push('probes:');
    for (const c of d.probes) {
      if (c.from === null) lines.push(`  + ${c.probe}: new (${c.to})`);
      else if (c.to === null) lines.push(`  - ${c.probe}: removed (was ${c.from})`);
      else lines.push(`  ${MARK[c.to]} ${c.probe}: ${c.from} → ${c.to}`);
    }
  }
  if (d.observations.length) {
    lines.push(`observations (numbers that moved more than ${MOVE_SHARE * 100}%, values that changed):`);
    for (const m of d.observations) {
      lines.push(`  ${m.probe}: ${m.path} ${m.change === 'added' ? '(none)' : value(m, m.from)} → ${m.change === 'removed' ? '(none)' : value(m, m.to)}${percent(m)}`);
    }
  }
  if (d.assertions.length) {
    lines.push('assertions:');
    for (const c of d.assertions) {
      for (const e of c.added) lines.push(`  ${c.probe}: + ${e}`);
      for (const e of c.removed) lines.push(`  ${c.probe}: - ${e}`);
    }
  }
  if (lines.length === 1) lines.push(`no change: the same probe verdicts, no observation moved more than ${MOVE_SHARE * 100}%, the same assertions`);
  return lines.join('\n') + '\n';
}

function value(m: ObservationMove, v: ObservationMove['from']): string {
  return displayValue(v, (m.kind ?? undefined) as FieldKind | undefined);
}

function percent(m: ObservationMove): string {
  if (typeof m.from !== 'number' || typeof m.to !== 'number' || m.from === 0) return '';
  const p = Math.round(((m.to - m.from) / Math.abs(m.from)) * 100);
  return ` (${p > 0 ? '+' : ''}${p}%)`;
}
