import { describe, expect, it } from 'vitest';
import { persistQueue, type KeyValueStore } from './queue-store';

/** A store that, like localStorage, throws QuotaExceededError past a size (in UTF-16 units). */
function fakeStore(quota = Infinity) {
  const data = new Map<string, string>();
  const used = () => [...data].reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  const store: KeyValueStore = {
    getItem: (key) => data.get(key) ?? null,
    setItem(key, value) {
      const before = data.get(key);
      data.set(key, value);
      if (used() > quota) {
        if (before === undefined) data.delete(key);
        else data.set(key, before);
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    },
    removeItem: (key) => void data.delete(key),
  };
  return { store, data };
}

const events = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(80) }));

describe('persistQueue', () => {
  it('writes the queue, and removes the key when it is empty', () => {
    const { store, data } = fakeStore();
    const queue = events(3);
    expect(persistQueue(store, 'q', queue)).toBe(0);
    expect(JSON.parse(store.getItem('q')!)).toEqual(events(3));
    expect(persistQueue(store, 'q', [])).toBe(0);
    expect(data.has('q')).toBe(false);
  });

  it('drops the oldest events until the rest fits, never throwing, and counts them', () => {
    const { store } = fakeStore(3000);
    const queue = events(100);
    const dropped = persistQueue(store, 'q', queue);
    expect(dropped).toBeGreaterThan(0);
    expect(queue).toEqual(events(100).slice(dropped));
    expect(JSON.parse(store.getItem('q')!)).toEqual(queue);
    // Little more than needed: a quarter of what was left at most.
    const needed = events(100).findIndex((_, i) => 1 + JSON.stringify(events(100).slice(i)).length <= 3000);
    expect(dropped).toBeGreaterThanOrEqual(needed);
    expect(dropped - needed).toBeLessThanOrEqual((100 - needed) / 4 + 1);
  });

  it('gives up quietly when nothing fits', () => {
    const { store } = fakeStore(10);
    const queue = events(5);
    expect(persistQueue(store, 'q', queue)).toBe(5);
    expect(queue).toEqual([]);
  });
});
