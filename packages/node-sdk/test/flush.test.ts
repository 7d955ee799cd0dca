import { describe, expect, it } from 'vitest';
import { TrackingClient, type TrackingClientSettings } from '../src';
import { deferred, FakeHttpClient, ok, problem, until, type Responder } from './support/fake-http-client';

function setUp(respond: Responder, settings: Partial<TrackingClientSettings> = {}) {
  const http = new FakeHttpClient(respond);
  const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, minRetryDelay: 5, maxRetryDelay: 20, ...settings });
  const dropped: string[] = [];
  client.on('dropped', (d) => dropped.push(d.reason));
  return { http, client, dropped };
}

describe('flush()', () => {
  it('resolves only when every earlier call is acknowledged, and counts them', async () => {
    const gate = deferred();
    const { client } = setUp(async () => (await gate.promise, ok()));
    const calls = Array.from({ length: 5 }, (_, i) => client.track({ userId: 'u', event: `${i}` }));
    let flushed = false;
    const flush = client.flush().then((r) => ((flushed = true), r));
    await new Promise((r) => setTimeout(r, 30));
    expect(flushed).toBe(false);
    gate.resolve();
    expect(await flush).toEqual({ delivered: 5, failed: 0, pending: 0 });
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true);
  });

  it('counts failures, and waits for retries to finish', async () => {
    const { client } = setUp(({ request }) => (request.headers['x-retry-count'] === '2' ? ok() : problem(503, 'x')), { flushAt: 2 });
    client.track({ userId: 'u', event: 'a' });
    client.track({ userId: 'u', event: 'b' });
    client.track({ userId: '', event: 'invalid: settled at once, not counted' } as never);
    client.alias({ userId: 'u', previousId: 'p' });
    expect(await client.flush()).toEqual({ delivered: 3, failed: 0, pending: 0 });
  });

  it('does not wait for calls made after it', async () => {
    const gate = deferred();
    const { client } = setUp(async ({ n }) => {
      if (n > 1) await gate.promise;
      return ok();
    }, { flushAt: 1 });
    client.track({ userId: 'u', event: 'before' });
    const flush = client.flush();
    client.track({ userId: 'u', event: 'after' });
    expect(await flush).toEqual({ delivered: 1, failed: 0, pending: 0 });
    gate.resolve();
  });

  it('resolves at once when nothing is pending', async () => {
    const { client } = setUp(ok);
    expect(await client.flush()).toEqual({ delivered: 0, failed: 0, pending: 0 });
  });

  it('with a timeout, stops waiting and says how many are still pending (they go on)', async () => {
    const gate = deferred();
    const { client } = setUp(async () => (await gate.promise, ok()));
    const call = client.track({ userId: 'u', event: 'slow' });
    expect(await client.flush({ timeout: 30 })).toEqual({ delivered: 0, failed: 0, pending: 1 });
    gate.resolve();
    expect(await call).toMatchObject({ ok: true });
  });
});

describe('closeAndFlush()', () => {
  it('sends everything queued without waiting for flushInterval, then refuses new calls', async () => {
    const { http, client, dropped } = setUp(ok, { flushAt: 100, flushInterval: 60_000 });
    const calls = Array.from({ length: 3 }, (_, i) => client.track({ userId: 'u', event: `${i}` }));
    const started = Date.now();
    expect(await client.closeAndFlush()).toEqual({ delivered: 3, failed: 0, pending: 0 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(http.requests).toHaveLength(1);
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true);
    expect(await client.track({ userId: 'u', event: 'late' })).toMatchObject({ ok: false, reason: 'closed' });
    expect(dropped).toEqual(['closed']);
  });

  it('on timeout, aborts requests in flight, queued and retrying calls, reporting each as aborted', async () => {
    let signals: AbortSignal[] = [];
    const { http, client, dropped } = setUp(
      ({ request }) => {
        signals.push(request.signal);
        // Never answers (but honours its signal, as a real client does).
        return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
      },
      { flushAt: 2, maxConcurrentRequests: 1, timeout: 60_000 },
    );
    const calls = Array.from({ length: 5 }, (_, i) => client.track({ userId: 'u', event: `${i}` }));
    await until(() => http.requests.length === 1);
    const started = Date.now();
    const result = await client.closeAndFlush({ timeout: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toEqual({ delivered: 0, failed: 5, pending: 0 });
    expect((await Promise.all(calls)).map((r) => !r.ok && r.reason)).toEqual(Array(5).fill('aborted'));
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(dropped).toEqual(Array(5).fill('aborted'));
    signals = [];
  });

  it('returns the same promise when called twice', async () => {
    const { client } = setUp(ok);
    expect(client.closeAndFlush()).toBe(client.closeAndFlush());
  });
});

describe('drained', () => {
  it('fires when nothing is queued or in flight any more', async () => {
    const { client } = setUp(ok, { flushAt: 2 });
    let drained = 0;
    client.on('drained', () => drained++);
    await Promise.all([client.track({ userId: 'u', event: 'a' }), client.track({ userId: 'u', event: 'b' })]);
    expect(drained).toBe(1);
  });
});
