import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector, type Storage } from '../../src';
import { MemoryAnswerCache } from '../../src/analytics/answer-cache';
import { createPlatform } from '../../src/create-platform';
import { createPostgresStorage } from '../../src/storage/postgres';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase } from '../support/fresh-postgres';
import { trackCall } from '../support/track-call';

const EVENTS = 40;

describe.runIf(backendEnabled('postgres'))('reading while the read models are rebuilt', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let storage: Storage;
  let systemId: string;

  beforeAll(async () => {
    database = await createFreshDatabase();
    storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
    const platform = createPlatform({ storage });
    const partner = await platform.createPartner({ name: 'Rebuild', email: 'r@example.com' });
    if (!partner.ok) throw partner.error;
    const added = await platform.addSystem(partner.value.id, { name: 'web' });
    if (!added.ok) throw added.error;
    systemId = added.value.system.id;
    const at = new Date('2026-01-01T10:00:00Z');
    const events = Array.from({ length: EVENTS }, (_, i) => trackCall({ systemId, messageId: `r${i}`, event: 'E', userId: 'u', anonymousId: null, timestamp: at }));
    await storage.events.append(events);
    await new Projector(storage).catchUp();
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('lists every event of a filter while a rebuild empties the read model', async () => {
    // A rebuild's first transaction, held open: the read model emptied and the checkpoint reset.
    const rebuild = new pg.Client({ connectionString: database.url });
    await rebuild.connect();
    try {
      await rebuild.query('begin');
      await rebuild.query('truncate read_model.events');
      await rebuild.query(`update read_model.projection_checkpoints set tx_id = '0', seq = 0, projected_events = 0 where name = 'main'`);
      const listing = storage.events.list(systemId, { limit: 100, userId: 'u' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await rebuild.query('commit');
      expect(await listing).toHaveLength(EVENTS);
    } finally {
      await rebuild.end();
      await new Projector(storage).catchUp();
    }
  });

  /**
   * A platform whose status reads start a rebuild on the given calls (1 = the first), as one could
   * between two reads; `cache` is shared with the platform that reads after the rebuild.
   */
  function rebuildingOnStatusRead(calls: number[], cache = new MemoryAnswerCache()) {
    let call = 0;
    const racing = Object.create(storage) as Storage;
    const analytics = Object.create(storage.analytics) as Storage['analytics'];
    analytics.status = async () => {
      const status = await storage.analytics.status();
      if (calls.includes(++call)) await storage.projection.reset();
      return status;
    };
    Object.defineProperty(racing, 'analytics', { value: analytics });
    return createPlatform({ storage: racing, cache });
  }
  const query = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z'), limit: 10 };

  it('labels an answer computed across a rebuild with the rebuild, and never serves it once the rebuild caught up', async () => {
    // The rebuild starts between the answer's status read and its query: the answer is computed over
    // emptied read models, so it must say so, and not be kept under a key the caught-up rebuild matches.
    const cache = new MemoryAnswerCache();
    const during = await rebuildingOnStatusRead([1], cache).topEvents(systemId, query);
    if (!during.ok) throw during.error;
    expect(during.value.data).toEqual([]);
    expect(during.value.projection).toMatchObject({ projectedEvents: 0, behindEvents: EVENTS });
    await new Projector(storage).catchUp();
    const after = await createPlatform({ storage, cache }).topEvents(systemId, query);
    if (!after.ok) throw after.error;
    expect(after.value.projection).toMatchObject({ projectedEvents: EVENTS, behindEvents: 0 });
    expect(after.value.data).toEqual([{ event: 'E', count: EVENTS }]);
  });

  it('claims no progress for an answer computed across rebuild after rebuild', async () => {
    await new Projector(storage).catchUp();
    const during = await rebuildingOnStatusRead([1, 2, 3, 4, 5, 6]).topEvents(systemId, query);
    if (!during.ok) throw during.error;
    expect(during.value.projection).toMatchObject({ projectedEvents: 0, behindEvents: EVENTS, projectedThrough: null });
    await new Projector(storage).catchUp();
  });
});
