// writeCheck: the canary table created when missing, one row keyed by the suite upserted, committed and read back.
import { randomId } from '../../random-id.ts';
import { oneLine } from '../../one-line.ts';
import type { WriteResult } from '../types.ts';
import { Aborted, rethrowAbort, type MysqlSession } from './connect.ts';

/**
 * Proves a durable write: the canary table is created when missing, one row keyed by the suite is
 * upserted and committed, then read back. A server refusal is an observation, not an error.
 */
export async function checkWrite(session: MysqlSession, table: string, suite: string): Promise<WriteResult> {
  const [schema, name] = table.includes('.') ? table.split('.') as [string, string] : [null, table];
  const quoted = table.split('.').map((part) => `\`${part}\``).join('.');
  const token = randomId();
  try {
    // Looking first lets a user with only INSERT/UPDATE/SELECT on an existing table pass.
    const [found] = await session.run(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', [schema, name]);
    if (!Array.isArray(found) || found.length === 0) {
      await session.run(`CREATE TABLE IF NOT EXISTS ${quoted} (suite VARCHAR(191) NOT NULL PRIMARY KEY, ` +
        'token CHAR(36) NOT NULL, written_at DATETIME(3) NOT NULL) ENGINE=InnoDB');
    }
    await session.run('START TRANSACTION READ WRITE');
    await session.run(`INSERT INTO ${quoted} (suite, token, written_at) VALUES (?, ?, UTC_TIMESTAMP(3)) ` +
      'ON DUPLICATE KEY UPDATE token = VALUES(token), written_at = VALUES(written_at)', [suite, token]);
    await session.run('COMMIT');
    const [back] = await session.run(`SELECT token FROM ${quoted} WHERE suite = ?`, [suite]);
    const read = Array.isArray(back) ? (back[0] as { token?: unknown } | undefined)?.token : undefined;
    return read === token ? { writable: true } : { writable: false, reason: 'write committed but not read back' };
  } catch (error) {
    if (error instanceof Aborted) throw error;
    const message = (error as { sqlMessage?: unknown }).sqlMessage;
    if (typeof message !== 'string') throw error;
    await session.run('ROLLBACK').catch(rethrowAbort);
    return { writable: false, reason: `write refused: ${oneLine(message)}` };
  }
}
