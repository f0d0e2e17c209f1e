// The protocol's CancelRequest: a separate short connection asking the server to cancel a backend's
// current statement. Unlike statement_timeout, it also ends a COMMIT waiting for a synchronous standby.
import net from 'node:net';

const CANCEL_REQUEST_CODE = 80877102;
const GIVE_UP_MS = 1000;

export function sendCancelRequest(host: string, port: number, processId: number, secretKey: number): Promise<void> {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const giveUp = setTimeout(() => socket.destroy(), GIVE_UP_MS);
    socket.on('error', () => {}); // best effort: the caller's own deadline still holds
    socket.once('connect', () => socket.end(packet));
    socket.once('close', () => {
      clearTimeout(giveUp);
      resolve();
    });
  });
}
