/** The part of `localStorage` the queue uses; tests pass a fake that fills up. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Writes a queue of serialized events under `key` (removing the key when the queue is empty). When
 * the store is full, drops the oldest events until the rest fits: one, then doubling, but never more
 * than a quarter of what is left at a time, so it takes few tries and drops little more than needed.
 * Never throws. Mutates `queue` and returns how many events were dropped.
 */
export function persistQueue(store: KeyValueStore, key: string, queue: string[]): number {
  let dropped = 0;
  for (;;) {
    try {
      if (queue.length) store.setItem(key, JSON.stringify(queue));
      else store.removeItem(key);
      return dropped;
    } catch {
      if (!queue.length) return dropped;
      dropped += queue.splice(0, Math.max(1, Math.min(dropped, queue.length >> 2))).length;
    }
  }
}
