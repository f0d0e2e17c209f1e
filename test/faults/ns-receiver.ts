// A webhook receiver for a CLI run inside a network namespace, where the test's own loopback cannot be
// reached: started in that namespace (`ip netns exec NS node ns-receiver.ts`), it prints its origin,
// then each request body (base64) on its own line, and answers 200.
import { startReceiver } from '../support/receiver.ts';

const receiver = await startReceiver([{ status: 200 }]);
let printed = 0;
process.stdout.write(`${receiver.origin}\n`);
setInterval(() => {
  for (; printed < receiver.requests.length; printed++) process.stdout.write(`${receiver.requests[printed]!.body.toString('base64')}\n`);
}, 50);
process.on('SIGTERM', () => void receiver.close().then(() => process.exit(0)));
