// A directory of record files as a store, for local use: every `*.json` directly in it that is a syncproof
// record (what the file sink or `run --output json` writes). Read whole on each query; bounded in count and size.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorReason } from '../error-words.ts';
import type { JsonValue } from '../probes/types.ts';
import { parseStoredRecord, type StoredRecord } from './record-shape.ts';
import type { FileStoreSpec } from '../suite.ts';
import { abortReason, MIN_ID_PREFIX, type RecordStore, type RunQuery, type StoreResult } from './types.ts';

/** The newest files (by modification time) read; older ones are left out of every query. */
export const MAX_RECORD_FILES = 5000;
export const MAX_RECORD_FILE_BYTES = 16 << 20;

interface Loaded {
  readonly record: StoredRecord;
  readonly raw: JsonValue;
}

export function fileStore(spec: FileStoreSpec): RecordStore {
  return {
    target: `directory ${spec.path}`,
    runs: async (q, signal) => {
      const all = await loadAll(spec.path, signal);
      if (!all.ok) return all;
      return { ok: true, value: all.value.map((l) => l.record).filter((r) => matches(r, q)).sort(newestFirst).slice(0, q.limit) };
    },
    get: async (id, signal) => {
      const all = await loadAll(spec.path, signal);
      if (!all.ok) return all;
      const wanted = id.toLowerCase();
      const found = all.value.filter((l) => l.record.id === wanted || (wanted.length >= MIN_ID_PREFIX && l.record.id.startsWith(wanted)));
      const exact = found.filter((l) => l.record.id === wanted);
      const unique = exact.length > 0 ? exact : found;
      if (new Set(unique.map((l) => l.record.id)).size > 1) return { ok: false, error: `run id ${id} is ambiguous: give more of it` };
      return { ok: true, value: unique[0] ?? null };
    },
  };
}

function matches(r: StoredRecord, q: RunQuery): boolean {
  return (q.suite === undefined || r.suite === q.suite) && (q.app === undefined || r.app.name === q.app) && (q.verdict === undefined || r.verdict === q.verdict);
}

export function newestFirst(a: StoredRecord, b: StoredRecord): number {
  return Date.parse(b.startedAt) - Date.parse(a.startedAt);
}

async function loadAll(dir: string, signal: AbortSignal): Promise<StoreResult<Loaded[]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (error) {
    return { ok: false, error: `cannot read the directory ${dir} (${errorReason(error)})` };
  }
  const files = (await Promise.all(names.map(async (name) => {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    return info?.isFile() && info.size <= MAX_RECORD_FILE_BYTES ? [{ path, mtime: info.mtimeMs }] : [];
  }))).flat().sort((a, b) => b.mtime - a.mtime).slice(0, MAX_RECORD_FILES);
  const loaded: Loaded[] = [];
  for (const { path } of files) {
    if (signal.aborted) return { ok: false, error: `reading ${dir}: ${abortReason(signal)}` };
    const raw = await readJson(path);
    const record = raw === undefined ? undefined : parseStoredRecord(raw);
    if (record && raw !== undefined) loaded.push({ record, raw });
  }
  return { ok: true, value: loaded };
}

/** A file that cannot be read or parsed is not a record: skipped like any other file of the directory. */
async function readJson(path: string): Promise<JsonValue | undefined> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return undefined;
  try {
    const text = (await handle.readFile({ encoding: 'utf8' })).slice(0, MAX_RECORD_FILE_BYTES);
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
