import type { RedisLike } from '../storage/redis/redis-like';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limiter';
import { assertTakeable, decisionFor } from './token-bucket';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA } from './token-bucket-script';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterConfig {
  /** A connected client (ioredis or compatible), set up to fail fast as for `createRedisCache`. */
  client: Pick<RedisLike, 'eval' | 'evalsha'>;
  /** Prefix of every bucket key, so several deployments can share one Redis. Default `vt:`. */
  prefix?: string;
  /** Called once when Redis starts failing (again after it has answered); takes are allowed meanwhile. */
  onError?: (error: unknown) => void;
}

/**
 * A {@link RateLimiter} whose buckets live in Redis, shared by every process of a deployment: a
 * caller gets one budget however many instances serve it. Each take is one atomic Lua script
 * (`EVALSHA`, loaded with `EVAL` when Redis does not know it yet), timed by the Redis server's
 * clock; a bucket key expires once its bucket would be full again.
 *
 * It fails open: while Redis cannot be reached every take is allowed and `onError` is told once,
 * because refusing all traffic over an outage of the limiter would be worse than a short spell
 * without limits.
 *
 * ### Examples
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisRateLimiter } from '@volcanion-tracking/core/redis';
 * const client = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200 });
 * const limiter = createRedisRateLimiter({ client, onError: (e) => console.warn('rate limits off', e) });
 * ```
 */
export function createRedisRateLimiter(config: RedisRateLimiterConfig): RateLimiter {
  const prefix = `${config.prefix ?? 'vt:'}rate:`;
  const { client } = config;
  let failing = false;

  async function run(key: string, args: string[]): Promise<unknown> {
    try {
      return await client.evalsha(TOKEN_BUCKET_SHA, 1, key, ...args);
    } catch (error) {
      // Redis forgets scripts on restart or SCRIPT FLUSH; EVAL loads it again.
      if (!/NOSCRIPT/.test(String((error as Error)?.message))) throw error;
      return client.eval(TOKEN_BUCKET_SCRIPT, 1, key, ...args);
    }
  }

  return {
    async take(key: string, cost: number, policy: RateLimitPolicy): Promise<RateLimitDecision> {
      assertTakeable(cost, policy);
      try {
        const reply = (await run(prefix + key, [String(policy.perSecond), String(policy.burst), String(cost)])) as [number, string];
        failing = false;
        return decisionFor(Number(reply[1]), cost, reply[0] === 1, policy);
      } catch (error) {
        if (!failing) config.onError?.(error);
        failing = true;
        return { allowed: true, limit: policy.burst, remaining: policy.burst, resetSeconds: 0, retryAfterSeconds: 0 };
      }
    },
  };
}
