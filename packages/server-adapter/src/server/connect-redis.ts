import { createRedisCache, createRedisRateLimiter, type RedisLike } from '@volcanion-tracking/core/redis';
import { Redis } from 'ioredis';
import type { Logger } from '../handler/handler-options';

/**
 * The server's Redis: the shared answer cache, invalidation bus and rate limiter, and a ping for
 * readiness. The client fails fast instead of queueing commands while Redis is away, so requests
 * go on without the cache, and without rate limits, rather than waiting for it.
 */
export function connectRedis(url: string, prefix: string, logger?: Logger) {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250, lazyConnect: false });
  let warned = 0;
  const shared = createRedisCache({
    client: client as unknown as RedisLike,
    prefix,
    onError(error) {
      // Reported at most every 10 s: a Redis outage must not flood the log.
      if (Date.now() - warned > 10_000) {
        warned = Date.now();
        logger?.warn({ err: error }, 'redis unavailable; continuing without the shared cache');
      }
    },
  });
  const rateLimiter = createRedisRateLimiter({
    client: client as unknown as RedisLike,
    prefix,
    // Told once per outage by the limiter itself.
    onError: (error) => logger?.warn({ err: error }, 'redis unavailable; rate limits are not enforced until it is back'),
  });
  return { ...shared, rateLimiter, ping: () => client.ping() };
}
