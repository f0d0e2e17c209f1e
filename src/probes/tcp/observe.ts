import net from 'node:net';
import type { AttemptContext, Observation } from '../types.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';
import { hostPort, unbracket } from '../../net/address.ts';
import type { TcpSpec } from './index.ts';

export const observeTcp = (s: TcpSpec, ctx: AttemptContext): Promise<Observation> => connectOnce(unbracket(s.host), s.port, ctx);

/** Opens one connection, observes `connected`, and closes it again at once. */
function connectOnce(host: string, port: number, ctx: AttemptContext): Promise<Observation> {
  const where = hostPort(host, port);
  if (ctx.signal.aborted) return Promise.resolve({ ok: false, error: timeoutReason(ctx.timeoutMs) });
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (observation: Observation): void => {
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(observation);
    };
    const onAbort = (): void => finish({ ok: false, error: timeoutReason(ctx.timeoutMs) });
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true, observed: { connected: true }, summary: 'connected' }));
    // `on`, not `once`: a late second error must not become an uncaught exception.
    socket.on('error', (error) => finish({ ok: false, error: describeError(firstOf(error), where) }));
  });
}

/** Happy-eyeballs connects to several addresses and may fail with an AggregateError of them all. */
function firstOf(error: Error): unknown {
  return error instanceof AggregateError && error.errors.length > 0 && !('code' in error) ? error.errors[0] : error;
}
