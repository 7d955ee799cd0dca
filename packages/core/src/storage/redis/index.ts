/**
 * @module
 * A Redis answer cache and invalidation bus for Volcanion Tracking (any ioredis-compatible client).
 */
export { createRedisCache, type RedisCacheConfig } from './redis-cache';
export type { RedisLike } from './redis-like';
