import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src';
import { runRateLimiterContract } from './rate-limiter-contract';

const limiter = new MemoryRateLimiter();
runRateLimiterContract({
  name: 'memory',
  create: () => limiter,
  skip: { peer: 'buckets live in one process by design; each server process has its own' },
});

describe('memory rate limiter: bounded memory', () => {
  const policy = { perSecond: 10, burst: 5 };

  it('forgets buckets once they have refilled, as a missing bucket is a full one', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now });
    for (let i = 0; i < 100; i++) await limiter.take(`k${i}`, 5, policy);
    expect(limiter.size).toBe(100);
    now += 600; // every bucket is full again
    for (let i = 0; i < 100; i++) await limiter.take('busy', 0, policy);
    expect(limiter.size).toBeLessThanOrEqual(1);
  });

  it('keeps at most maxBuckets, dropping the least recently used', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ maxBuckets: 10, now: () => now });
    await limiter.take('first', 5, policy);
    for (let i = 0; i < 20; i++) await limiter.take(`k${i}`, 1, policy);
    expect(limiter.size).toBe(10);
    expect((await limiter.take('first', 5, policy)).allowed).toBe(true);
  });

  it('refills by the injected clock, to the millisecond', async () => {
    let now = 1_000;
    const limiter = new MemoryRateLimiter({ now: () => now });
    await limiter.take('k', 5, policy);
    now += 99;
    expect((await limiter.take('k', 1, policy)).allowed).toBe(false);
    now += 1;
    expect((await limiter.take('k', 1, policy)).allowed).toBe(true);
  });
});
