import type { AnswerCache, InvalidationBus } from '../../analytics/answer-cache';
import type { RedisLike } from './redis-like';

/** Options of {@link createRedisCache}. */
export interface RedisCacheConfig {
  /** A connected client (ioredis or compatible). Set it up to fail fast when Redis is away (see the example). */
  client: RedisLike;
  /** Prefix of every key and channel, so several deployments can share one Redis. Default `vt:`. */
  prefix?: string;
  /** Called when Redis fails; the request goes on without the cache. */
  onError?: (error: unknown) => void;
}

/**
 * An answer cache and invalidation bus on Redis, shared by every process of a deployment. When
 * Redis is unreachable, `get` misses and `set` does nothing: requests still succeed, uncached.
 *
 * ### Examples
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisCache } from '@volcanion-tracking/core/redis';
 * const client = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200 });
 * const { cache, bus, close } = createRedisCache({ client });
 * const platform = createPlatform({ storage, cache, bus });
 * ```
 */
export function createRedisCache(config: RedisCacheConfig): { cache: AnswerCache; bus: InvalidationBus; close: () => Promise<void> } {
  const prefix = config.prefix ?? 'vt:';
  const channel = `${prefix}invalidations`;
  const onError = config.onError ?? (() => {});
  const client = config.client;
  client.on('error', onError);
  // A client in subscriber mode can issue no other commands, so the bus listens on its own connection.
  let subscriber: RedisLike | null = null;
  const listeners: ((message: string) => void)[] = [];
  return {
    cache: {
      async get(key) {
        try {
          return await client.get(prefix + key);
        } catch (error) {
          onError(error);
          return null;
        }
      },
      async set(key, value, ttlSeconds) {
        try {
          await client.set(prefix + key, value, 'EX', ttlSeconds);
        } catch (error) {
          onError(error);
        }
      },
    },
    bus: {
      publish(message) {
        client.publish(channel, message).catch(onError);
      },
      subscribe(listener) {
        listeners.push(listener);
        if (subscriber) return;
        // Unlike cache commands, the subscription must wait for a connection and survive reconnects.
        subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
        subscriber.on('error', onError);
        subscriber.on('message', (from, message) => {
          if (from === channel) listeners.forEach((l) => l(message));
        });
        subscriber.subscribe(channel).catch(onError);
      },
    },
    async close() {
      // The subscriber queues commands while Redis is away, so it is cut off rather than asked to quit.
      subscriber?.disconnect();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
