// The suite's store for the commands that read it: load the suite (exit 2 on its errors), open its store.
import { formatConfigErrors } from '../config/errors.ts';
import { loadSuite } from '../config/load.ts';
import type { Suite } from '../suite.ts';
import { redact } from '../secrets.ts';
import { openStore, STORE_TIMEOUT_MS } from '../store/index.ts';
import type { RecordStore, StoreResult } from '../store/types.ts';
import { attemptSignal } from '../process/attempt-signal.ts';

/** A command's read of the store: longer than a run's, which holds a sync, but still bounded. */
const COMMAND_READ_MS = 2 * STORE_TIMEOUT_MS;

export type Opened = { readonly ok: true; readonly store: RecordStore; readonly suite: Suite } | { readonly ok: false; readonly code: number };

export async function suiteStore(config: string, env: NodeJS.ProcessEnv): Promise<Opened> {
  const loaded = await loadSuite(config, env);
  if (!loaded.ok) {
    process.stderr.write(`${redact(formatConfigErrors(loaded.errors))}\n`);
    return { ok: false, code: 2 };
  }
  const { suite } = loaded;
  if (!suite.store) {
    process.stderr.write(redact(`syncproof: suite ${suite.name} has no store: add store: (the postgres sink's url and table, or path: a directory; docs/store.md)\n`));
    return { ok: false, code: 2 };
  }
  return { ok: true, store: openStore(suite.store), suite };
}

/** One read, bounded; its failure is one plain line on stderr and exit 1. */
export async function read<T>(store: RecordStore, what: (signal: AbortSignal) => Promise<StoreResult<T>>): Promise<StoreResult<T>> {
  const bound = attemptSignal(new AbortController().signal, COMMAND_READ_MS);
  try {
    const result = await what(bound.signal);
    if (!result.ok) process.stderr.write(redact(`syncproof: store ${store.target}: ${result.error}\n`));
    return result;
  } finally {
    bound.release();
  }
}
