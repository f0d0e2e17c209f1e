// How a rabbitmq probe connects (where is endpoint.ts): TLS for amqps://,
// one amqplib connection with no heartbeat timer, frames bounded, and its socket destroyed on abort at any
// point (amqplib's connect takes the signal down to the socket). Error wording lives here too.
import net from 'node:net';
import type { ChannelModel } from 'amqplib';
import { whereOf, type RabbitConnectSpec, type RabbitEndpoint } from './endpoint.ts';
import { loadCa } from '../../net/ca.ts';
import { describeError, timeoutReason } from '../../net/socket-errors.ts';

/** The largest AMQP frame read from the broker (amqplib refuses a larger one and closes the connection). */
const MAX_FRAME_BYTES = 128 * 1024;

export type Opened =
  | { readonly ok: true; readonly connection: ChannelModel; readonly close: () => Promise<void> }
  | { readonly ok: false; readonly error: string };

/** Connects, logs in and opens the vhost; aborting `signal` destroys the socket, before or after. */
export async function openClient(spec: RabbitConnectSpec, e: RabbitEndpoint, signal: AbortSignal, timeoutMs: number): Promise<Opened> {
  const ca = e.tls ? await loadCa(spec.tls?.ca) : { ok: true as const, pem: undefined };
  if (!ca.ok) return { ok: false, error: ca.error };
  const amqp = (await import('amqplib')).default;
  if (signal.aborted) return { ok: false, error: timeoutReason(timeoutMs) };
  const serverName = spec.tls?.serverName ?? (net.isIP(e.host) === 0 ? e.host : undefined);
  const socketOptions = {
    signal, noDelay: true, timeout: Math.max(1, Math.round(timeoutMs)),
    ...(e.tls ? { rejectUnauthorized: spec.tls?.insecure !== true, ...(ca.pem ? { ca: ca.pem } : {}), ...(serverName ? { servername: serverName } : {}) } : {}),
  };
  const address = {
    protocol: e.tls ? 'amqps' : 'amqp', hostname: e.host, port: e.port, username: e.user, password: e.password,
    vhost: e.vhost, heartbeat: 0, frameMax: MAX_FRAME_BYTES, maxFrameSize: MAX_FRAME_BYTES, locale: 'en_US',
  };
  try {
    const connection = await amqp.connect(address, socketOptions);
    connection.on('error', () => {}); // a dropped connection fails the pending call; it must not crash the process
    const stream = (connection.connection as unknown as { stream?: net.Socket }).stream;
    const destroy = (): void => { stream?.destroy(); };
    signal.addEventListener('abort', destroy, { once: true });
    const close = async (): Promise<void> => {
      signal.removeEventListener('abort', destroy);
      if (!signal.aborted && stream && !stream.destroyed) {
        const bye = setTimeout(destroy, 1000); // a polite Connection.Close, but never wait on a stuck broker
        await connection.close().catch(() => {});
        clearTimeout(bye);
      }
      destroy();
    };
    return { ok: true, connection, close };
  } catch (error) {
    if (signal.aborted || /^connect ETIMEDOUT$/.test(messageOf(error))) return { ok: false, error: timeoutReason(timeoutMs) };
    return { ok: false, error: describeRabbitError(error, e) };
  }
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/**
 * One plain line. The broker's own words (`ACCESS_REFUSED - Login was refused …`, `NOT_ALLOWED - vhost x
 * not found`) without amqplib's framing around them; network and TLS failures in the shared wording.
 */
export function describeRabbitError(error: unknown, e: RabbitEndpoint): string {
  const message = messageOf(error);
  const brokerSaid = /with message "([^"]{1,500})"/.exec(message)?.[1];
  if (brokerSaid !== undefined) return brokerSaid;
  // The broker's refusal of connection.open is its connection.close; amqplib keeps none of its text.
  if (/^Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    return `vhost "${e.vhost}" refused by the broker (it does not exist, or user "${e.user}" may not use it)`;
  }
  if (/^Socket closed abruptly|^Unexpected close|Connection closed/i.test(message)) return `connection closed by server (${whereOf(e)})`;
  return describeError(error, whereOf(e));
}
