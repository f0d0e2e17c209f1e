// The suite's `store`, opened for reading.
import type { StoreSpec } from '../suite.ts';
import { fileStore } from './file.ts';
import { postgresStore } from './postgres.ts';
import type { RecordStore } from './types.ts';

/** One read's bound: a store that does not answer costs a run this much at most. */
export const STORE_TIMEOUT_MS = 5000;

export function openStore(spec: StoreSpec, timeoutMs = STORE_TIMEOUT_MS): RecordStore {
  return spec.kind === 'file' ? fileStore(spec) : postgresStore(spec, timeoutMs);
}
