// A mysql session whose every step ends at the abort signal, with the socket destroyed on it (where it
// connects is endpoint.ts).
import net from 'node:net';
import type { Connection, ConnectionOptions, FieldPacket, QueryResult, TypeCast } from 'mysql2';
import { timeoutReason } from '../../net/socket-errors.ts';
import { describeMysqlError, isMysqlAuthError } from './errors.ts';
import { guardPackets } from './wire.ts';
import { authRefused } from '../types.ts';
import { loadCa } from '../../net/ca.ts';
import { hostPort } from '../../net/address.ts';
import type { MysqlAddress } from './endpoint.ts';
import { untilAborted } from '../../process/until-aborted.ts';

export class Aborted extends Error {}

/** For a cleanup statement (ROLLBACK): its own failure is ignored, an abort is not. */
export function rethrowAbort(error: unknown): void {
  if (error instanceof Aborted) throw error;
}

export type SqlParam = string | number | boolean | null;

export interface MysqlSession {
  /** One statement (placeholders `?`); rows for a SELECT, a result header otherwise. */
  run(sql: string, params?: readonly SqlParam[]): Promise<[QueryResult, FieldPacket[] | undefined]>;
  /**
   * One statement whose rows are handed to `onRow` as they arrive, with the index of their result set
   * (a CALL answers with several); mysql2 keeps none of them.
   */
  each(sql: string, params: readonly SqlParam[], onRow: (row: Record<string, unknown>, resultSet: number) => void): Promise<void>;
  /** Says goodbye to the server and destroys the socket; safe to call more than once. */
  close(): Promise<void>;
}

export type OpenResult = { readonly ok: true; readonly session: MysqlSession } | { readonly ok: false; readonly error: string; readonly retry?: false };

/**
 * Connects and authenticates within `signal`. The socket is ours (mysql2's `stream` option), so an
 * abort can destroy it even while mysql2 waits for a server that never speaks.
 */
export async function openClient(address: MysqlAddress, ca: string | undefined, typeCast: TypeCast, signal: AbortSignal, timeoutMs: number): Promise<OpenResult> {
  const loaded = await loadCa(ca);
  if (!loaded.ok) return loaded;
  const caPem = loaded.pem;
  const mysql = await import('mysql2');
  if (signal.aborted) return { ok: false, error: timeoutReason(timeoutMs) };
  const socket = net.connect({ host: address.host, port: address.port });
  socket.setNoDelay(true);
  const options: ConnectionOptions = {
    stream: socket, host: address.host, port: address.port, user: address.user ?? '', password: address.password ?? '',
    connectTimeout: timeoutMs + 1000, supportBigNumbers: true, bigNumberStrings: false, dateStrings: true,
    typeCast, multipleStatements: false, charset: 'utf8mb4_general_ci',
    ...(address.database ? { database: address.database } : {}),
    ...(address.ssl === 'disable' ? {} : { ssl: address.ssl === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, verifyIdentity: true, ...(caPem ? { ca: caPem } : {}) } }),
  };
  const connection: Connection = mysql.createConnection(options);
  guardPackets(connection, hostPort(address.host, address.port));
  // mysql2 reports a connection lost between commands as an 'error' event; the pending command fails too.
  connection.on('error', () => {});
  let closed = false;
  const destroy = (): void => {
    if (closed) return;
    closed = true;
    connection.destroy();
    socket.destroy();
  };
  signal.addEventListener('abort', destroy, { once: true });
  const session: MysqlSession = {
    run: (sql, params) => (signal.aborted || closed
      ? Promise.reject(new Aborted())
      : abortable(connection.promise().query<QueryResult>(sql, [...(params ?? [])]), signal)),
    each: (sql, params, onRow) => (signal.aborted || closed ? Promise.reject(new Aborted()) : abortable(new Promise<void>((resolve, reject) => {
      let resultSet = -1;
      let hasRows = false;
      // Without a callback mysql2 keeps no rows, and tells a lost connection to the connection, not the query.
      const lost = (error: unknown): void => reject(error);
      connection.once('error', lost);
      const query = connection.query(sql, [...params]);
      // 'fields' comes before each result set: a column list for rows, nothing for a status (OK) result.
      query.on('fields', (fields: unknown) => { resultSet++; hasRows = Array.isArray(fields); });
      query.on('result', (row: unknown) => { if (hasRows) onRow(row as Record<string, unknown>, resultSet); });
      query.on('error', reject);
      query.on('end', () => { connection.off('error', lost); resolve(); });
    }), signal)),
    close: async () => {
      signal.removeEventListener('abort', destroy);
      if (closed) return;
      closed = true;
      if (signal.aborted || socket.destroyed) { connection.destroy(); socket.destroy(); return; }
      const cutOff = (): void => { socket.destroy(); };
      // The server closes on COM_QUIT; a server that does not is cut off at the abort.
      signal.addEventListener('abort', cutOff, { once: true });
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        connection.end(() => socket.end());
      });
      signal.removeEventListener('abort', cutOff);
    },
  };
  try {
    await abortable(new Promise<void>((resolve, reject) => {
      connection.once('connect', () => resolve());
      connection.once('error', reject);
    }), signal);
    return { ok: true, session };
  } catch (error) {
    destroy();
    signal.removeEventListener('abort', destroy);
    return { ok: false, error: error instanceof Aborted ? timeoutReason(timeoutMs) : describeMysqlError(error, address), ...authRefused(isMysqlAuthError(error)) };
  }
}

/** The work, or an Aborted rejection at the abort. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return untilAborted(work, signal, () => Promise.reject<never>(new Aborted()));
}
