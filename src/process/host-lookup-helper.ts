// The helper process of src/process/host-lookup.ts: runs each host-name lookup with Node's own dns.lookup
// (getaddrinfo) and answers over IPC. A lookup that never returns only holds this process, which the
// run kills when it exits.
import dns from 'node:dns';
import type { HelperMessage, LookupReply, LookupRequest } from './host-lookup.ts';

process.on('message', ({ id, hostname, options }: LookupRequest) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    const reply: LookupReply = error
      ? { id, ok: false, error: { code: error.code, message: error.message, syscall: error.syscall } }
      : { id, ok: true, addresses };
    process.send?.(reply);
  });
});
// Taking requests: the run waits for this before its first attempt.
process.send?.({ ready: true } satisfies HelperMessage);
// The run is gone (it normally kills this process first): stop taking requests.
process.on('disconnect', () => process.removeAllListeners('message'));
