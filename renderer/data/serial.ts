/**
 * Run tasks one after another. The kiosk has one window, so chaining a read-modify-write of a local
 * document here is enough to keep it whole; a failed task does not stop the ones after it.
 */
export function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
