// `syncproof history [--app A] [--suite S] [--limit N]`: the latest runs in the suite's store, newest first.
import { formatDuration } from '../duration.ts';
import { redact, redactDeep } from '../secrets.ts';
import type { StoredRecord } from '../store/record-shape.ts';
import type { EvidenceArgs } from './evidence-args.ts';
import { read, suiteStore } from './store-access.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

export async function historyCommand(args: EvidenceArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const limit = args.limit === undefined ? DEFAULT_LIMIT : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    process.stderr.write(`syncproof: --limit must be a whole number from 1 to ${MAX_LIMIT}, not "${args.limit}"\nTry 'syncproof --help'.\n`);
    return 2;
  }
  const opened = await suiteStore(args.config, env);
  if (!opened.ok) return opened.code;
  const { store } = opened;
  const runs = await read(store, (signal) => store.runs({ suite: args.suite, app: args.app, limit }, signal));
  if (!runs.ok) return 1;
  process.stdout.write(args.output === 'json' ? `${JSON.stringify(redactDeep(runs.value.map(summary)), null, 2)}\n` : redact(humanHistory(runs.value, args, store.target)));
  return 0;
}

/** One run in `history --output json`. */
export function summary(r: StoredRecord) {
  return {
    id: r.id, suite: r.suite, app: r.app.name, revision: r.app.revision, verdict: r.verdict,
    startedAt: r.startedAt, finishedAt: r.finishedAt, durationMs: r.durationMs, counts: r.counts,
  };
}

function humanHistory(runs: readonly StoredRecord[], args: EvidenceArgs, target: string): string {
  const filter = [args.suite !== undefined && `suite ${args.suite}`, args.app !== undefined && `app ${args.app}`].filter(Boolean).join(', ');
  const head = `${runs.length === 0 ? 'no runs' : `${runs.length} latest run${runs.length === 1 ? '' : 's'}`}${filter ? ` of ${filter}` : ''} in ${target}`;
  const rows = runs.map((r) => [
    r.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z'),
    r.id.slice(0, 8),
    r.suite,
    r.app.name ? `${r.app.name}${r.app.revision ? `@${r.app.revision.slice(0, 7)}` : ''}` : '-',
    r.verdict.toUpperCase(),
    counts(r),
    formatDuration(r.durationMs),
  ]);
  const widths = rows.reduce((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [] as number[]);
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  return [head, ...lines].join('\n') + '\n';
}

/** `5 probes: 1 passed, 2 failed, 1 warned, 1 skipped`, leaving out the zeros. */
function counts(r: StoredRecord): string {
  const c = r.counts;
  const parts = [c.passed && `${c.passed} passed`, c.failed && `${c.failed} failed`, c.warned && `${c.warned} warned`, c.skipped && `${c.skipped} skipped`].filter(Boolean);
  return `${c.total} probe${c.total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
