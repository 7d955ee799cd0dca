/**
 * Requests the Web Lock `name` (shared by every tab of the origin) and holds it until the returned
 * function is called. `granted(held)` runs once the lock manager answers; with `ifAvailable` it may
 * answer `false`. A tab that closes or crashes loses its locks, which is how others know its queue
 * is orphaned.
 */
export function holdLock(name: string, ifAvailable: boolean, granted: (held: boolean) => void): () => void {
  let release: (() => void) | undefined;
  let released = false;
  navigator.locks
    .request(name, { ifAvailable }, (lock) => {
      if (released) return;
      granted(!!lock);
      return lock && new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => {});
  return () => {
    released = true;
    release?.();
  };
}
