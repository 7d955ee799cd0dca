import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createRedisRateLimiter, type RedisLike } from '../../src/storage/redis';
import { runRateLimiterContract } from './rate-limiter-contract';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Other runs share this Redis: a prefix of our own keeps their buckets and ours apart.
const prefix = `vt-test-${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];

function limiter() {
  const client = new Redis(REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 2000 });
  clients.push(client);
  return createRedisRateLimiter({
    client: client as unknown as RedisLike,
    prefix,
    onError: (error) => {
      throw new Error(`Redis failed during the contract run: ${String(error)}`);
    },
  });
}

const shared = limiter();
runRateLimiterContract({ name: 'redis', create: () => shared, peer: limiter });

afterAll(async () => {
  const keys = await clients[0]!.keys(`${prefix}*`);
  if (keys.length) await clients[0]!.del(...keys);
  await Promise.all(clients.map((c) => c.quit()));
});
