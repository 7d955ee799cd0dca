import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform, type Storage } from '../../src';
import { createPostgresStorage } from '../../src/storage/postgres';
import { createRedisCache, type RedisLike } from '../../src/storage/redis';
import { createFreshDatabase } from '../support/fresh-postgres';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const failFast = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 };

describe('Redis cache and invalidation bus', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  const storages: Storage[] = [];
  const closers: (() => Promise<void>)[] = [];
  const prefix = `vt-test-${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    database = await createFreshDatabase();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await Promise.all(storages.map((s) => s.close()));
    await database?.drop();
  });

  /** A platform as one server process would have it: its own pool and key cache, a shared Redis. */
  async function instance(redisUrl = REDIS_URL): Promise<Platform> {
    const storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
    storages.push(storage);
    const client = new Redis(redisUrl, failFast);
    // Without an offline queue, commands fail until the connection is up (a busy CI machine took longer
    // than this test's first request): wait for it, or for its failure when Redis is away.
    await new Promise((resolve) => {
      client.once('ready', resolve);
      client.once('error', resolve);
    });
    const { cache, bus, close } = createRedisCache({ client: client as unknown as RedisLike, prefix });
    closers.push(close);
    // A minute-long key cache: only the bus can make a revocation reach the other instance in time.
    return createPlatform({ storage, cache, bus, credentialCacheMs: 60_000 });
  }

  it('stops a key revoked through one instance on another within a second', async () => {
    const a = await instance();
    const b = await instance();
    await new Promise((r) => setTimeout(r, 200));
    const partner = await a.createPartner({ name: `Bus ${prefix}`, email: 'b@e.co' });
    if (!partner.ok) throw partner.error;
    const added = await a.addSystem(partner.value.id, { name: 'w' });
    if (!added.ok) throw added.error;
    expect((await b.authenticateKey(added.value.writeKey.key)).ok).toBe(true);
    await a.revokeKey(added.value.system.id, added.value.writeKey.id);
    const revokedAt = Date.now();
    while ((await b.authenticateKey(added.value.writeKey.key)).ok) {
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('keeps answers in Redis under keys scoped by the projection checkpoint', async () => {
    const platform = await instance();
    const partner = await platform.createPartner({ name: `Cache ${prefix}`, email: 'c@e.co' });
    if (!partner.ok) throw partner.error;
    const added = await platform.addSystem(partner.value.id, { name: 'w' });
    if (!added.ok) throw added.error;
    const systemId = added.value.system.id;
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
    const first = await platform.topEvents(systemId, range);
    expect(first.ok && first.value.data).toEqual([]);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}answer:${systemId}:*`);
    await redis.quit();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain(`:${first.ok && `${first.value.projection.rebuilds}.${first.value.projection.projectedEvents}`}:top-events:`);
  });

  it('answers without the cache when Redis is away', async () => {
    const platform = await instance('redis://127.0.0.1:1');
    const partner = await platform.createPartner({ name: `Away ${prefix}`, email: 'w@e.co' });
    if (!partner.ok) throw partner.error;
    const added = await platform.addSystem(partner.value.id, { name: 'w' });
    if (!added.ok) throw added.error;
    const answer = await platform.timeseries(added.value.system.id, {});
    expect(answer.ok).toBe(true);
  });
});
