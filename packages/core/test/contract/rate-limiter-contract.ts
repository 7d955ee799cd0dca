import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src';

/** Options of {@link runRateLimiterContract}. */
export interface RateLimiterContractOptions {
  name: string;
  /** A limiter; calls within one test file share buckets, so every test uses keys of its own. */
  create: () => RateLimiter;
  /**
   * A second limiter over the same buckets, as another server process would have it. Leave it out
   * only with a reason in `skip.peer`.
   */
  peer?: () => RateLimiter;
  /** Scenarios a backend cannot run, each with the reason. */
  skip?: { peer?: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every rate limiter must do, against real time (Redis keeps its own clock, so no fake one):
 * rates are chosen so that the scheduling jitter of a busy machine cannot change an outcome.
 */
export function runRateLimiterContract({ name, create, peer, skip = {} }: RateLimiterContractOptions): void {
  describe(`rate limiter contract: ${name}`, () => {
    const run = randomBytes(4).toString('hex');
    let counter = 0;
    const key = () => `contract-${run}-${counter++}`;

    it('starts full, admits the burst, then refuses with the wait until one more token', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 0.5, burst: 3 };
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.take(k, 1, policy));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
      expect(decisions.every((d) => d.limit === 3)).toBe(true);
      expect(decisions[0]).toMatchObject({ retryAfterSeconds: 0, resetSeconds: 2 });
      // One token at 0.5/s takes 2 s; three (to full) take 6 s.
      expect(decisions[3]).toMatchObject({ allowed: false, retryAfterSeconds: 2, resetSeconds: 6 });
    });

    it('refills at the policy rate', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 10, burst: 5 };
      expect((await limiter.take(k, 5, policy)).allowed).toBe(true);
      expect((await limiter.take(k, 3, policy)).allowed).toBe(false);
      await sleep(350); // at least 3.5 tokens by now
      const after = await limiter.take(k, 3, policy);
      expect(after.allowed).toBe(true);
      expect(after.remaining).toBeLessThanOrEqual(2);
    });

    it('lets a caller in again once Retry-After has passed, and not long before', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 2, burst: 2 };
      await limiter.take(k, 2, policy);
      const refused = await limiter.take(k, 2, policy);
      expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
      expect((await limiter.take(k, 2, policy)).allowed).toBe(false);
      await sleep(refused.retryAfterSeconds * 1000);
      expect((await limiter.take(k, 2, policy)).allowed).toBe(true);
    });

    it('takes a cost above one at once, and refuses a cost the bucket cannot cover', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 0.1, burst: 10 };
      expect(await limiter.take(k, 4, policy)).toMatchObject({ allowed: true, remaining: 6 });
      expect(await limiter.take(k, 7, policy)).toMatchObject({ allowed: false, remaining: 6 });
      expect(await limiter.take(k, 6, policy)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limiter.take(k, 1, policy)).allowed).toBe(false);
    });

    it('admits a cost above the burst from a full bucket, and makes the caller wait it off', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 5, burst: 10 };
      expect(await limiter.take(k, 30, policy)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 6 });
      // 20 tokens of debt plus the one needed: 21 / 5 per second.
      expect(await limiter.take(k, 1, policy)).toMatchObject({ allowed: false, retryAfterSeconds: 5 });
    });

    it('keeps keys apart', async () => {
      const limiter = create();
      const [a, b] = [key(), key()];
      const policy = { perSecond: 0.1, burst: 2 };
      await limiter.take(a, 2, policy);
      expect((await limiter.take(a, 1, policy)).allowed).toBe(false);
      expect(await limiter.take(b, 1, policy)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('applies a changed policy to an existing bucket at once', async () => {
      const limiter = create();
      const k = key();
      await limiter.take(k, 1, { perSecond: 0.1, burst: 100 });
      // The bucket holds 99; a burst of 5 caps it at 5.
      expect(await limiter.take(k, 1, { perSecond: 0.1, burst: 5 })).toMatchObject({ allowed: true, remaining: 4, limit: 5 });
    });

    it('never admits more than the bucket holds when takes run concurrently', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 0.01, burst: 25 };
      const decisions = await Promise.all(Array.from({ length: 100 }, () => limiter.take(k, 1, policy)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    });

    it('answers a cost of zero without spending anything', async () => {
      const limiter = create();
      const k = key();
      const policy = { perSecond: 0.1, burst: 3 };
      await limiter.take(k, 1, policy);
      expect(await limiter.take(k, 0, policy)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await limiter.take(k, 0, policy)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('refuses a policy no bucket can follow', async () => {
      const limiter = create();
      await expect(limiter.take(key(), 1, { perSecond: 0, burst: 1 })).rejects.toThrow(RangeError);
      await expect(limiter.take(key(), 1, { perSecond: 1, burst: 0 })).rejects.toThrow(RangeError);
      await expect(limiter.take(key(), -1, { perSecond: 1, burst: 1 })).rejects.toThrow(RangeError);
    });

    describe.skipIf(!peer)('shared between processes', () => {
      it('gives a key one budget across limiters, under concurrent takes from both', async () => {
        const [one, two] = [create(), peer!()];
        const k = key();
        const policy = { perSecond: 0.01, burst: 30 };
        const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).take(k, 1, policy)));
        expect(decisions.filter((d) => d.allowed)).toHaveLength(30);
        expect((await one.take(k, 1, policy)).allowed).toBe(false);
        expect((await two.take(k, 1, policy)).allowed).toBe(false);
      });
    });
    if (!peer && !skip.peer) throw new Error(`${name}: a limiter without a peer must say why in skip.peer`);
  });
}
