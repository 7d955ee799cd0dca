import { describe, expect, it } from 'vitest';
import { batchBody, byteLength, takeBatch } from './batch';

const event = (n: number, size = 100) => JSON.stringify({ n, pad: 'x'.repeat(size) });

describe('byteLength', () => {
  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(byteLength('abc')).toBe(3);
    expect(byteLength('é')).toBe(2);
    expect(byteLength('日本')).toBe(6);
    expect(byteLength('😀')).toBe(4);
  });
});

describe('takeBatch', () => {
  const queue = Array.from({ length: 50 }, (_, n) => event(n));

  it('takes at most maxCount events, oldest first', () => {
    expect(takeBatch(queue, 20, 1e6)).toEqual(queue.slice(0, 20));
    expect(takeBatch(queue.slice(0, 3), 20, 1e6)).toEqual(queue.slice(0, 3));
    expect(takeBatch([], 20, 1e6)).toEqual([]);
  });

  it('keeps the batch body within maxBytes', () => {
    const batch = takeBatch(queue, 50, 1000);
    expect(batch.length).toBeGreaterThan(1);
    expect(byteLength(batchBody(batch, 'wk_0123456789abcdef'))).toBeLessThanOrEqual(1000);
    expect(byteLength(batchBody(queue.slice(0, batch.length + 1), 'wk_0123456789abcdef'))).toBeGreaterThan(1000 - 200);
  });

  it('always takes a first event that is too large alone, unless strict', () => {
    const big = [event(0, 5000), event(1)];
    expect(takeBatch(big, 20, 1000)).toEqual([big[0]]);
    expect(takeBatch(big, 20, 1000, true)).toEqual([]);
    expect(takeBatch(queue, 20, 100, true)).toEqual([]);
  });
});

describe('batchBody', () => {
  it('wraps serialized events with sentAt and the write key, as the server reads them', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const body = JSON.parse(batchBody([event(1), event(2)], 'wk_"quoted"', now));
    expect(body).toEqual({ batch: [JSON.parse(event(1)), JSON.parse(event(2))], sentAt: now.toISOString(), writeKey: 'wk_"quoted"' });
  });
});
