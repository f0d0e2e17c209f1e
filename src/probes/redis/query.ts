// The user's `command`, sent only when the server flags it read-only (COMMAND INFO) unless
// `allowWrite`, its reply as JSON.
import type { Redis } from 'ioredis';
import { valueAsJson } from '../json-value.ts';
import type { JsonValue } from '../types.ts';

export type CommandOutcome = { readonly ok: true; readonly result: JsonValue } | { readonly ok: false; readonly error: string };

interface CommandInfo {
  /** `SET`, or `CONFIG GET` for a subcommand the server describes on its own. */
  readonly label: string;
  readonly flags: readonly string[];
}

/**
 * Scripts and functions, `_RO` forms included: the server flags these read-only, yet a script runs
 * until it ends, and `while true do end` leaves the server BUSY for every client.
 */
const SCRIPTS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);

/** A COMMAND INFO reply the probe cannot read, so it cannot say the command is read-only. */
class UnreadableInfo extends Error {}

/**
 * COMMAND INFO for the command, or its subcommand (`config|get`) where the server has them; null when
 * the server does not know the command (its entry is nil). Any other shape is UnreadableInfo.
 */
async function commandInfo(client: Redis, name: string, sub: string | undefined): Promise<CommandInfo | null> {
  const reply = await client.call('COMMAND', 'INFO', name);
  if (!Array.isArray(reply) || reply.length !== 1) throw new UnreadableInfo('its COMMAND INFO reply is not a list of one entry');
  const entry: unknown = reply[0];
  if (entry === null) return null;
  if (!Array.isArray(entry)) throw new UnreadableInfo('its COMMAND INFO entry is not a list');
  const subcommands = entry[9];
  const wanted = `${name}|${sub ?? ''}`.toLowerCase();
  const match = sub !== undefined && Array.isArray(subcommands)
    ? subcommands.find((s): s is unknown[] => Array.isArray(s) && String(s[0]).toLowerCase() === wanted)
    : undefined;
  const chosen: unknown[] = match ?? entry;
  return {
    label: match ? `${name} ${sub}`.toUpperCase() : name.toUpperCase(),
    flags: Array.isArray(chosen[2]) ? chosen[2].map((flag) => String(flag).toLowerCase()) : [],
  };
}

/**
 * Runs `args` once. Without `allowWrite` a command the server does not flag `readonly` is refused
 * here, before anything but COMMAND INFO is sent. A server error reply is the outcome's error.
 */
export async function runReadOnly(client: Redis, args: readonly string[], allowWrite: boolean): Promise<CommandOutcome> {
  const [name = '', ...rest] = args;
  if (!allowWrite && SCRIPTS.has(name.toUpperCase())) {
    return { ok: false, error: `refused to send ${name.toUpperCase()}: a script or function may run without end and block the server for every client (set allowWrite: true to allow it)` };
  }
  if (!allowWrite) {
    let info: CommandInfo | null;
    try {
      info = await commandInfo(client, name, rest[0]);
    } catch (error) {
      if (!isReplyError(error) && !(error instanceof UnreadableInfo)) throw error;
      return { ok: false, error: `cannot check that ${name.toUpperCase()} is read-only (${firstLine(error)}); set allowWrite: true to send it unchecked` };
    }
    // An unknown command is sent: the server's own error says best what is wrong, and it changes nothing.
    if (info !== null && !info.flags.includes('readonly')) {
      return { ok: false, error: `refused to send ${info.label}: the server does not flag it read-only (set allowWrite: true to allow it)` };
    }
  }
  try {
    return { ok: true, result: replyAsJson(await client.call(name, ...rest)) };
  } catch (error) {
    if (!isReplyError(error)) throw error;
    return { ok: false, error: firstLine(error) };
  }
}

/** Redis replies as JSON: bulk strings as text, integers as numbers, arrays as lists, nil as null. */
export function replyAsJson(reply: unknown): JsonValue {
  return valueAsJson(reply, (raw) => raw.toString('utf8'));
}

export function isReplyError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ReplyError';
}

/** A reply error's first line: the server's own words (READONLY, NOPERM, OOM…). */
export function firstLine(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.split('\n')[0] ?? message : String(error);
}
