import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter, type RedisLike } from '../../src/storage/redis';
import { freePort, hasRedisServer, startRedis, stopRedis } from '../support/private-redis';

const failFast = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 };
const policy = { perSecond: 0.01, burst: 2 };

async function ready(client: Redis): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`Redis client still ${client.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Redis rate limiter faults', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('fails open when Redis cannot be reached, and says so once', async () => {
    const client = new Redis('redis://127.0.0.1:1', { ...failFast, lazyConnect: true });
    client.on('error', () => {});
    cleanups.push(() => client.disconnect());
    const errors: unknown[] = [];
    const limiter = createRedisRateLimiter({ client: client as unknown as RedisLike, onError: (e) => errors.push(e) });
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limiter.take('k', 1, policy)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(decisions[0]).toMatchObject({ limit: 2, remaining: 2, retryAfterSeconds: 0 });
    expect((await limiter.take('k', 1, policy)).allowed).toBe(true);
    expect(errors).toHaveLength(1);
  });

  describe.skipIf(!hasRedisServer)('against a Redis server of its own', () => {
    it('loads the script again after Redis forgot it (EVALSHA falls back to EVAL)', async () => {
      const port = await freePort();
      const server = await startRedis(port);
      cleanups.push(() => stopRedis(server));
      const client = new Redis(port, '127.0.0.1', failFast);
      cleanups.push(() => client.disconnect());
      await ready(client);
      const errors: unknown[] = [];
      const limiter = createRedisRateLimiter({ client: client as unknown as RedisLike, onError: (e) => errors.push(e) });
      expect((await limiter.take('k', 1, policy)).allowed).toBe(true);
      await client.script('FLUSH');
      expect(await limiter.take('k', 1, policy)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limiter.take('k', 1, policy)).allowed).toBe(false);
      expect(errors).toEqual([]);
    });

    it('keeps allowing while Redis is down, and limits again once it is back', async () => {
      const port = await freePort();
      let server = await startRedis(port);
      cleanups.push(() => stopRedis(server));
      const client = new Redis(port, '127.0.0.1', { ...failFast, retryStrategy: () => 50 });
      client.on('error', () => {});
      cleanups.push(() => client.disconnect());
      await ready(client);
      const errors: unknown[] = [];
      const limiter = createRedisRateLimiter({ client: client as unknown as RedisLike, onError: (e) => errors.push(e) });
      await limiter.take('k', 2, policy);
      expect((await limiter.take('k', 1, policy)).allowed).toBe(false);

      await stopRedis(server);
      for (let i = 0; i < 5; i++) expect((await limiter.take('k', 1, policy)).allowed).toBe(true);
      expect(errors).toHaveLength(1);

      // A fresh Redis has no buckets: the key starts full again, and the limit holds from there.
      server = await startRedis(port);
      await ready(client);
      await limiter.take('k', 2, policy);
      expect((await limiter.take('k', 1, policy)).allowed).toBe(false);
      await stopRedis(server);
      await limiter.take('k', 1, policy);
      expect(errors).toHaveLength(2);
    });
  });
});
