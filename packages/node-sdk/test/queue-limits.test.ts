import { describe, expect, it } from 'vitest';
import { QueueFullError, TrackingClient, type DeliveryResult, type TrackingClientSettings } from '../src';
import { deferred, FakeHttpClient, ok, until } from './support/fake-http-client';

function setUp(settings: Partial<TrackingClientSettings>) {
  const gate = deferred();
  const http = new FakeHttpClient(async () => (await gate.promise, ok()));
  const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, flushAt: 1, maxConcurrentRequests: 1, ...settings });
  const dropped: string[] = [];
  client.on('dropped', (d) => dropped.push(d.reason));
  return { http, client, gate, dropped };
}

const call = (client: TrackingClient, i: number) => client.track({ userId: 'u', event: 'E', properties: { i } });

describe("queueFullPolicy 'drop' (default)", () => {
  it('fails calls beyond maxQueueSize at once, and delivers the others', async () => {
    const { client, gate, dropped } = setUp({ maxQueueSize: 5 });
    const calls = Array.from({ length: 8 }, (_, i) => call(client, i));
    const refused = await Promise.race([calls[5]!, new Promise((r) => setTimeout(() => r('still pending'), 50))]);
    expect(refused).toMatchObject({ ok: false, reason: 'queue_full' });
    expect((refused as { error: Error }).error).toBeInstanceOf(QueueFullError);
    expect(client.pending).toBe(5);
    expect(dropped).toEqual(['queue_full', 'queue_full', 'queue_full']);
    gate.resolve();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('counts bytes too: maxQueueBytes bounds memory whatever the message sizes', async () => {
    const { client, gate } = setUp({ maxQueueBytes: 4000 });
    const results: Promise<DeliveryResult>[] = [];
    for (let i = 0; i < 10; i++) results.push(client.track({ userId: 'u', event: 'E', properties: { pad: 'x'.repeat(900) } }));
    gate.resolve();
    const settled = await Promise.all(results);
    const accepted = settled.filter((r) => r.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(accepted).toBeLessThanOrEqual(4);
    expect(settled.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'queue_full')).toBe(true);
  });

  it('takes calls again once the queue has room', async () => {
    const { client, gate } = setUp({ maxQueueSize: 2 });
    const first = [call(client, 0), call(client, 1)];
    expect(await call(client, 2)).toMatchObject({ reason: 'queue_full' });
    gate.resolve();
    await Promise.all(first);
    expect(await call(client, 3)).toMatchObject({ ok: true });
  });
});

describe("queueFullPolicy 'wait'", () => {
  it('holds calls until there is room, in call order, and delivers all of them', async () => {
    const { http, client, gate, dropped } = setUp({ maxQueueSize: 3, queueFullPolicy: 'wait' });
    const calls = Array.from({ length: 6 }, (_, i) => call(client, i));
    await until(() => http.requests.length === 1);
    expect(client.pending).toBe(6);
    gate.resolve();
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(dropped).toEqual([]);
    expect(http.messages.map((m) => (m.properties as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives awaiting callers backpressure: each waits for room and delivery', async () => {
    const http = new FakeHttpClient(async () => (await new Promise((r) => setTimeout(r, 5)), ok()));
    const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, flushAt: 1, maxQueueSize: 4, queueFullPolicy: 'wait' });
    let maxPending = 0;
    // 7 concurrent producers, each awaiting its calls, against a queue of 4: 3 of them wait for room
    // at a time instead of being dropped.
    await Promise.all(
      Array.from({ length: 7 }, async (_, p) => {
        for (let i = 0; i < 5; i++) {
          const result = await call(client, p * 100 + i);
          expect(result.ok).toBe(true);
          maxPending = Math.max(maxPending, client.pending);
        }
      }),
    );
    expect(http.messages).toHaveLength(35);
    expect(maxPending).toBeLessThanOrEqual(7);
  });

  it('admits a message larger than maxQueueBytes once the queue is empty, instead of waiting forever', async () => {
    const { client, gate } = setUp({ maxQueueBytes: 1000, queueFullPolicy: 'wait' });
    const small = call(client, 0);
    const big = client.track({ userId: 'u', event: 'Big', properties: { pad: 'x'.repeat(2000) } });
    gate.resolve();
    expect(await small).toMatchObject({ ok: true });
    expect(await big).toMatchObject({ ok: true });
  });

  it('bounds the waiting room to another maxQueueSize calls, then drops', async () => {
    const { client, gate } = setUp({ maxQueueSize: 2, queueFullPolicy: 'wait' });
    const calls = Array.from({ length: 6 }, (_, i) => call(client, i));
    expect(client.pending).toBe(4);
    gate.resolve();
    expect((await Promise.all(calls)).map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'ok', 'ok', 'ok', 'queue_full', 'queue_full']);
  });
});
