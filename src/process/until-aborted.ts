// The one way to stop waiting for work at an abort: the work is not stopped by it (its owner closes its
// sockets on the same signal), only no longer waited for.

/**
 * `work`, or what `onAbort` gives as soon as `signal` aborts (at once when it already has), whichever comes
 * first; the listener is removed either way. `onAbort` may return a rejected promise to fail instead.
 */
export async function untilAborted<T, A = T>(work: Promise<T>, signal: AbortSignal, onAbort: () => A | PromiseLike<A>): Promise<T | A> {
  if (signal.aborted) {
    // The work's own failure after the abort (its socket destroyed) is expected, not unhandled.
    work.catch(() => {});
    return onAbort();
  }
  let stop = (): void => {};
  const aborted = new Promise<A>((resolve) => {
    stop = () => resolve(onAbort());
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
