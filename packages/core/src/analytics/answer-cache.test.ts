import { describe, expect, it } from 'vitest';
import { createPlatform } from '../create-platform';
import { createMemoryStorage } from '../storage/memory';
import { answerKey, MemoryAnswerCache } from './answer-cache';

describe('answer cache', () => {
  it('scopes keys by system, checkpoint, query and parameters, in any parameter order', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const at5 = { rebuilds: 0, projectedEvents: 5 };
    expect(answerKey('s', at5, 'q', { a: 1, b: at })).toBe(answerKey('s', at5, 'q', { b: at, a: 1 }));
    expect(answerKey('s', at5, 'q', { a: 1 })).not.toBe(answerKey('s', { rebuilds: 0, projectedEvents: 6 }, 'q', { a: 1 }));
    expect(answerKey('s', at5, 'q', { a: 1 })).not.toBe(answerKey('t', at5, 'q', { a: 1 }));
    // After a rebuild the count climbs through the same numbers again, over different read models.
    expect(answerKey('s', at5, 'q', { a: 1 })).not.toBe(answerKey('s', { rebuilds: 1, projectedEvents: 5 }, 'q', { a: 1 }));
  });

  it('evicts the least recently used entry beyond its size', async () => {
    const cache = new MemoryAnswerCache(2);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.get('a');
    await cache.set('c', '3', 60);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual(['1', null, '3']);
  });

  it('never serves an answer staler than the projection: new events make a new key', async () => {
    const storage = createMemoryStorage();
    const platform = createPlatform({ storage });
    const partner = await platform.createPartner({ name: 'P', email: 'p@e.co' });
    if (!partner.ok) throw partner.error;
    const added = await platform.addSystem(partner.value.id, { name: 'w' });
    if (!added.ok) throw added.error;
    const principal = await platform.authenticateKey(added.value.writeKey.key);
    if (!principal.ok) throw principal.error;
    const range = { from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 3600_000) };
    const top = async () => {
      const answer = await platform.topEvents(added.value.system.id, range);
      if (!answer.ok) throw answer.error;
      return answer.value.data;
    };
    expect(await top()).toEqual([]);
    await platform.ingest(principal.value, { type: 'track', messages: [{ userId: 'u', event: 'Fresh' }] });
    expect(await top()).toEqual([{ event: 'Fresh', count: 1 }]);
  });
});
