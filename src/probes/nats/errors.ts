// One plain line for what failed: the server's words for authorization, permissions and JetStream API
// errors, the shared wording for the network.
import { hostPort } from '../../net/address.ts';
import { describeError } from '../../net/socket-errors.ts';

export type Server = { readonly tls: boolean; readonly host: string; readonly port: number };

interface ErrorShape { readonly name?: unknown; readonly message?: unknown; readonly cause?: unknown }

function nameOf(error: unknown): string {
  const name = (error as ErrorShape | null)?.name;
  return typeof name === 'string' ? name : '';
}

function messageOf(error: unknown): string {
  const message = (error as ErrorShape | null)?.message;
  return typeof message === 'string' ? message.slice(0, 500) : '';
}

/** A failed connect or login. */
export function describeNatsError(error: unknown, servers: readonly Server[] = []): string {
  const where = servers.map((s) => hostPort(s.host, s.port)).join(', ');
  const message = messageOf(error);
  const cause = (error as ErrorShape | null)?.cause;
  if (nameOf(error) === 'AuthorizationError' || nameOf(error) === 'UserAuthenticationExpiredError') return message || 'authorization violation';
  if (nameOf(error) === 'PermissionViolationError') return message;
  if (message === 'connection refused') return `connection refused (${where})`;
  if (/tls is not available|tls is required|TLS/.test(message) && nameOf(error) === 'InvalidArgumentError') return `${message} (${where})`;
  if (cause !== undefined && cause !== error) {
    const inner = describeError(cause, where);
    if (!inner.startsWith('unknown error')) return inner;
  }
  return describeError(error, where);
}

/** A failed JetStream call about `stream`. */
export function describeJetStreamError(error: unknown, stream: string, consumer?: string): string {
  const name = nameOf(error);
  if (name === 'StreamNotFoundError') return `stream "${stream}" not found`;
  if (name === 'ConsumerNotFoundError') return `consumer "${consumer ?? ''}" not found on stream "${stream}"`;
  if (name === 'JetStreamNotEnabled' || name === 'NoRespondersError' || /no responders/i.test(messageOf(error))) {
    return 'no responders: JetStream is not enabled for this account, or no stream captures the subject';
  }
  if (name === 'RequestError' && (error as ErrorShape).cause !== undefined) return describeJetStreamError((error as ErrorShape).cause, stream, consumer);
  if (name === 'TimeoutError') return 'timeout';
  return messageOf(error) || describeError(error);
}
