import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff';
import { Batch } from '../src/batch';
import { MessageQueue } from '../src/message-queue';
import type { QueuedMessage } from '../src/queued-message';
import { parseRetryAfter } from '../src/retry-after';

describe('backoffDelay', () => {
  it('draws from [0, min(max, base · 2^(retry−1))]', () => {
    expect(backoffDelay(1, 200, 30_000, () => 0.999999)).toBe(199);
    expect(backoffDelay(4, 200, 30_000, () => 0.999999)).toBe(1599);
    expect(backoffDelay(20, 200, 30_000, () => 0.999999)).toBe(29_999);
    expect(backoffDelay(3, 200, 30_000, () => 0)).toBe(0);
    expect(backoffDelay(5000, 200, 30_000, () => 0.5)).toBe(15_000);
  });

  it('is jittered: many draws spread over the whole range', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(6, 100, 10_000));
    expect(Math.min(...draws)).toBeLessThan(400);
    expect(Math.max(...draws)).toBeGreaterThan(2800);
    expect(Math.max(...draws)).toBeLessThanOrEqual(3200);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-10-21T07:28:00Z');
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

const message = (bytes: number, seq = 1): QueuedMessage => ({ seq, messageId: `m${seq}`, json: `"${'x'.repeat(bytes - 2)}"`, bytes, settle: () => {} });

describe('Batch.tryAdd', () => {
  it('returns why a message does not fit instead of throwing', () => {
    const batch = new Batch(1000, 3);
    expect(batch.tryAdd(message(400))).toEqual({ added: true });
    expect(batch.tryAdd(message(400))).toEqual({ added: true });
    expect(batch.tryAdd(message(400))).toEqual({ added: false, reason: 'full' });
    expect(batch.tryAdd(message(2000))).toEqual({ added: false, reason: 'too_large' });
    expect(batch.tryAdd(message(10))).toEqual({ added: true });
    expect(batch.tryAdd(message(10))).toEqual({ added: false, reason: 'full' });
    expect(batch.length).toBe(3);
  });

  it('builds a body within its byte count, with the sentAt given', () => {
    const batch = new Batch(10_000, 100);
    batch.tryAdd({ ...message(10), json: '{"a":1}', bytes: 7 });
    batch.tryAdd({ ...message(10), json: '{"b":"é"}', bytes: 10 });
    const body = batch.body('2026-01-01T00:00:00.000Z');
    expect(JSON.parse(body)).toEqual({ batch: [{ a: 1 }, { b: 'é' }], sentAt: '2026-01-01T00:00:00.000Z' });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(batch.byteLength);
  });
});

describe('MessageQueue', () => {
  it('is FIFO and stays correct across compactions', () => {
    const queue = new MessageQueue<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) queue.push(next++);
      for (let i = 0; i < 70; i++) expect(queue.shift()).toBe(expected++);
    }
    expect(queue.length).toBe(next - expected);
    expect(queue.peek()).toBe(expected);
    expect(queue.last()).toBe(next - 1);
    expect(queue.takeAll()).toHaveLength(next - expected);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
