/**
 * The subset of an ioredis client this package uses; any compatible client works, and the package
 * has no dependency on ioredis itself.
 */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  /** Runs a Lua script (the rate limiter's token bucket); loads it into Redis' script cache. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** Runs a script by its SHA-1; rejects with `NOSCRIPT` when Redis does not have it cached. */
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  duplicate(override?: Record<string, unknown>): RedisLike;
  quit(): Promise<unknown>;
  disconnect(): void;
}
