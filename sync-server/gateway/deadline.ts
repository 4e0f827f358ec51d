/**
 * A signal that ends when `signal` does or after `ms`, whichever is first; `clear()` when done with it.
 *
 * Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: in Node 20 the composite holds its sources
 * weakly and the timeout's timer holds its signal weakly, so a garbage collection during the wait loses
 * the timeout and the composite never ends (nodejs/node#57736). A kiosk's long poll with heartbeats then
 * never ended: newlines for ever, under load, until a change came.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer and lets go of `signal` (call it when the wait is over, ended or not). */
  clear(): void;
}

export function deadline(signal: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  // The timer holds the controller strongly: nothing here can be collected while the wait lasts.
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`timed out after ${String(ms)} ms`, 'TimeoutError'));
  }, ms);
  // Like AbortSignal.timeout, the deadline alone does not keep the process running.
  timer.unref();
  const onAbort = () => {
    clearTimeout(timer);
    controller.abort(signal.reason);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
