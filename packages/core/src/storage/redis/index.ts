/**
 * @module
 * A Redis answer cache, invalidation bus and shared rate limiter for Volcanion Tracking (any
 * ioredis-compatible client).
 */
export { createRedisCache, type RedisCacheConfig } from './redis-cache';
export type { RedisLike } from './redis-like';
export { createRedisRateLimiter, type RedisRateLimiterConfig } from '../../rate-limits/redis-rate-limiter';
