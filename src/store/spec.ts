// `store:` at the suite level: where earlier runs are read from. The postgres sink's keys (its table), or
// `path:` a directory of file-sink records. Writing stays with the sinks.
import { z } from '../zod.ts';
import { postgresTableSpec } from '../net/postgres/table-spec.ts';
import { onFirstUse } from '../spec-parts.ts';
import type { StoreSpec } from '../suite.ts';

const fileStoreSpec = () => z.meta(
  z.strictObject({ path: z.meta(z.string().check(z.minLength(1)), { description: 'a directory of record files (*.json), e.g. written by file sinks' }) }),
  { title: 'file store' },
);

const DESCRIPTION = 'where earlier runs are read from, for baselines, regressions, history, show and diff (docs/store.md)';
const asFile = onFirstUse(() => z.transformed(fileStoreSpec(), (s): StoreSpec => ({ kind: 'file', ...s })));
// A copy titled for the store: the sink's table spec is shared.
const asPostgres = onFirstUse(() => z.transformed(z.meta(postgresTableSpec().clone(), { title: 'postgres store' }), (s): StoreSpec => ({ kind: 'postgres', ...s })));

/** For the JSON Schema: either form. */
export const storeSchema = onFirstUse(() => z.meta(z.union([asFile(), asPostgres()]), { description: DESCRIPTION }));

/**
 * For validation: a mapping with `path` is a directory, anything else the postgres sink's keys, so the errors
 * are those of the form meant rather than a union's "invalid input".
 */
export function storeSchemaFor(hasPath: boolean) {
  return hasPath ? asFile() : asPostgres();
}
