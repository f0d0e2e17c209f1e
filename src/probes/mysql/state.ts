// What a MySQL/MariaDB server says about itself: version, role, read-only settings, replication.
import type { JsonValue } from '../types.ts';
import { Aborted, type MysqlSession } from './connect.ts';
import { oneLine } from '../../one-line.ts';

export interface ServerStatus {
  readonly version: string;
  readonly role: 'primary' | 'replica' | null;
  readonly readOnly: boolean;
  readonly replication: {
    readonly lag: number | null;
    readonly replicas: number | null;
    readonly ioRunning: boolean | null;
    readonly sqlRunning: boolean | null;
  };
  /** Why a field could not be observed (e.g. a missing privilege); shown with a failing assertion. */
  readonly notes: readonly string[];
  /** The account the session runs as (CURRENT_USER()), e.g. `monitor@%`. */
  readonly account: string;
  /** It holds SUPER (root, ALL PRIVILEGES): read-only then guards data writes only. */
  readonly superuser: boolean;
}

type Row = Readonly<Record<string, JsonValue | undefined>>;

// USER_PRIVILEGES shows every account's global privileges to a user who may read mysql.*, so it is
// filtered to the session's own account ('user'@'host', as GRANTEE spells it).
export const IDENTITY_SQL = `SELECT VERSION() AS version, CURRENT_USER() AS account,
  (SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SUPER'
     AND GRANTEE = CONCAT("'", SUBSTRING_INDEX(CURRENT_USER(), '@', 1), "'@'", SUBSTRING_INDEX(CURRENT_USER(), '@', -1), "'")) AS super`;

const READ_ONLY_VARIABLES = ['read_only', 'super_read_only', 'tx_read_only', 'transaction_read_only'];
export const READ_ONLY_SQL = `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${READ_ONLY_VARIABLES.map((v) => `'${v}'`).join(', ')})`;
export const REPLICAS_SQL = "SHOW GLOBAL STATUS LIKE 'Slaves_connected'";
export const MARIADB_REPLICA_STATUS_SQL = 'SHOW ALL SLAVES STATUS';

export async function readState(session: MysqlSession): Promise<ServerStatus> {
  const notes: string[] = [];
  const [versionRow] = await rows(session, IDENTITY_SQL);
  const version = String(versionRow?.version ?? '');
  const account = String(versionRow?.account ?? '');
  const superuser = Number(versionRow?.super ?? 0) > 0;
  const mariadb = /mariadb/i.test(version);

  // Variables that do not exist on this server (super_read_only on MariaDB) simply do not match.
  const settings = await rows(session, READ_ONLY_SQL);
  const readOnly = settings.some((r) => isOn(r.Value));

  const channels = await optional(session, notes, 'replica status', mariadb ? [MARIADB_REPLICA_STATUS_SQL] : ['SHOW REPLICA STATUS', 'SHOW SLAVE STATUS']);
  const replicas = await replicaCount(session, notes, mariadb);
  const replication = channels && channels.length > 0
    ? { ...replicaState(channels), replicas }
    : { lag: null, replicas, ioRunning: null, sqlRunning: null };
  const role = channels === null ? null : channels.length > 0 ? 'replica' : 'primary';
  return { version, role, readOnly, replication, notes, account, superuser };
}

/**
 * One row per replication channel (MariaDB multi-source, MySQL channels): running only when every
 * channel runs; lag is the largest, null when any channel's SQL thread is stopped or the server
 * reports NULL (MariaDB and MySQL do while the IO thread is not connected).
 */
function replicaState(channels: readonly Row[]): { lag: number | null; ioRunning: boolean; sqlRunning: boolean } {
  const ioRunning = channels.every((c) => (c.Replica_IO_Running ?? c.Slave_IO_Running) === 'Yes');
  const sqlRunning = channels.every((c) => (c.Replica_SQL_Running ?? c.Slave_SQL_Running) === 'Yes');
  const seconds = channels.map((c) => c.Seconds_Behind_Source ?? c.Seconds_Behind_Master ?? null);
  const known = seconds.every((s) => typeof s === 'number' || (typeof s === 'string' && /^\d+$/.test(s)));
  const lag = sqlRunning && known ? Math.max(...seconds.map(Number)) * 1000 : null;
  return { lag, ioRunning, sqlRunning };
}

/**
 * Connected replicas. MariaDB counts its binlog dump threads in `Slaves_connected` (no privilege
 * needed). MySQL has no such counter: its dump threads are counted in performance_schema.threads.
 */
async function replicaCount(session: MysqlSession, notes: string[], mariadb: boolean): Promise<number | null> {
  if (mariadb) {
    const [row] = await rows(session, REPLICAS_SQL);
    return row ? Number(row.Value) : null;
  }
  const found = await optional(session, notes, 'connected replicas',
    ["SELECT COUNT(*) AS n FROM performance_schema.threads WHERE PROCESSLIST_COMMAND LIKE 'Binlog Dump%'"]);
  return found?.[0] ? Number(found[0].n) : null;
}

/**
 * Runs the first statement this server understands (a syntax error moves on to the next, for older
 * versions). A refusal, e.g. a missing privilege, leaves the fields unobserved with a note.
 */
async function optional(session: MysqlSession, notes: string[], what: string, statements: readonly string[]): Promise<Row[] | null> {
  for (const [i, sql] of statements.entries()) {
    try {
      return await rows(session, sql);
    } catch (error) {
      if (error instanceof Aborted) throw error;
      const err = error as { code?: unknown; sqlMessage?: unknown };
      if (typeof err.sqlMessage !== 'string') throw error;
      if (err.code === 'ER_PARSE_ERROR' && i < statements.length - 1) continue;
      notes.push(`${what} not readable: ${oneLine(err.sqlMessage)}`);
      return null;
    }
  }
  return null;
}

async function rows(session: MysqlSession, sql: string): Promise<Row[]> {
  const [result] = await session.run(sql);
  return Array.isArray(result) ? (result as Row[]) : [];
}

function isOn(value: JsonValue | undefined): boolean {
  return value === 'ON' || value === '1' || value === 1;
}
