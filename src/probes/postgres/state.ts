// What a connected server says about itself: version, role, read-only, replication (docs/probes/postgres.md#observation).
import type { Client } from 'pg';
import { formatDuration } from '../../duration.ts';

export interface ServerState {
  readonly version: string;
  readonly role: 'primary' | 'replica';
  readonly readOnly: boolean;
  /** Milliseconds; null on a replica that never replayed a transaction, or a primary without replicas. */
  readonly lagMs: number | null;
  readonly replicas: number;
  /** pg_stat_replication rows whose details this role may not read (it needs pg_monitor). */
  readonly hiddenReplicas: number;
  /** The role the session runs as (current_user) is a superuser: read-only then guards data writes only. */
  readonly superuser: boolean;
}

// One round trip. On a replica: caught up when everything received has been replayed, else the age of the last
// replayed commit. On a primary: replay_lag turns NULL once an idle replica has caught up, so a streaming replica
// without it is 0. Exported for the bench's raw-client floor, which sends the same statement.
export const STATE_SQL = `
SELECT current_setting('server_version') AS version,
       pg_is_in_recovery() AS in_recovery,
       current_setting('default_transaction_read_only')::boolean AS default_read_only,
       coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false) AS superuser,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000 END AS replica_lag_ms,
       r.replicas, r.hidden, r.lag_ms AS primary_lag_ms
  FROM (SELECT count(*) FILTER (WHERE state = 'streaming')::int AS replicas,
               count(*) FILTER (WHERE state IS NULL)::int AS hidden,
               max(extract(epoch FROM replay_lag) * 1000) FILTER (WHERE state = 'streaming') AS lag_ms
          FROM pg_stat_replication) AS r`;

interface StateRow {
  readonly version: string;
  readonly in_recovery: boolean;
  readonly default_read_only: boolean;
  readonly superuser: boolean;
  readonly replica_lag_ms: number | string | null;
  readonly replicas: number;
  readonly hidden: number;
  readonly primary_lag_ms: number | string | null;
}

export async function readState(client: Client): Promise<ServerState> {
  const row = (await client.query(STATE_SQL)).rows[0] as StateRow;
  if (row.in_recovery) {
    return { version: row.version, role: 'replica', readOnly: true, lagMs: millis(row.replica_lag_ms), replicas: 0, hiddenReplicas: 0, superuser: row.superuser };
  }
  return {
    version: row.version,
    role: 'primary',
    readOnly: row.default_read_only,
    lagMs: row.replicas === 0 ? null : (millis(row.primary_lag_ms) ?? 0),
    replicas: row.replicas,
    hiddenReplicas: row.hidden,
    superuser: row.superuser,
  };
}

function millis(value: number | string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : null;
}

export function describeState(s: ServerState): string {
  const lag = s.lagMs === null ? 'lag unknown' : `lag ${formatDuration(s.lagMs)}`;
  if (s.role === 'replica') return `replica, ${lag}`;
  const replicas = `${s.replicas} replica${s.replicas === 1 ? '' : 's'}`;
  return `primary${s.readOnly ? ' (read-only)' : ''}, ${replicas}${s.replicas > 0 ? `, ${lag}` : ''}`;
}

