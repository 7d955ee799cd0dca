import { describe, expect, it } from 'vitest';
import { RejectedError, RetriesExhaustedError, TrackingClient, type RetryScheduled, type TrackingClientSettings } from '../src';
import { FakeHttpClient, ok, problem, type Responder } from './support/fake-http-client';

function setUp(respond: Responder, settings: Partial<TrackingClientSettings> = {}) {
  const http = new FakeHttpClient(respond);
  const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, flushAt: 1, minRetryDelay: 5, maxRetryDelay: 20, ...settings });
  const retries: RetryScheduled[] = [];
  client.on('retry', (r) => retries.push(r)).on('error', () => {});
  return { http, client, retries };
}

describe('what is retried', () => {
  it.each([408, 429, 500, 502, 503, 504])('%i: retried, then delivered with the same messages', async (status) => {
    const { http, client, retries } = setUp(({ n }) => (n < 3 ? problem(status, 'transient') : ok()));
    const result = await client.track({ userId: 'u', event: 'E' });
    expect(result).toMatchObject({ ok: true });
    expect(http.requests).toHaveLength(3);
    expect(new Set(http.requests.map((r) => r.body.batch[0]!.messageId)).size).toBe(1);
    expect(http.requests.map((r) => r.request.headers['x-retry-count'])).toEqual([undefined, '1', '2']);
    expect(retries.map((r) => r.status)).toEqual([status, status]);
  });

  it('a network error: retried', async () => {
    const { http, client, retries } = setUp(({ n }) => {
      if (n === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return ok();
    });
    expect(await client.track({ userId: 'u', event: 'E' })).toMatchObject({ ok: true });
    expect(http.requests).toHaveLength(2);
    expect(retries[0]!.error.message).toBe('socket hang up');
    expect(retries[0]!.status).toBeUndefined();
  });

  it.each([400, 401, 403, 404, 413, 422])('%i: not retried, reported with the problem document', async (status) => {
    const { http, client, retries } = setUp(() => problem(status, `code_${status}`));
    const result = await client.track({ userId: 'u', event: 'E' });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(RejectedError);
    expect(result.error).toMatchObject({ status, problem: { code: `code_${status}`, detail: `code_${status} detail` } });
    expect(result.error.message).toContain(`code_${status} detail`);
    expect(http.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('items a 200 refuses by name fail alone; their neighbours are delivered', async () => {
    const { client } = setUp(
      () => ({
        status: 200,
        headers: {},
        body: JSON.stringify({ success: true, rejected: [{ index: 1, messageId: 'x', errors: [{ pointer: '/properties/total', message: 'must be number' }] }] }),
      }),
      { flushAt: 3 },
    );
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((event) => client.track({ userId: 'u', event })));
    expect(a).toMatchObject({ ok: true });
    expect(c).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: false, reason: 'rejected', error: { status: 200, errors: [{ pointer: '/properties/total', message: 'must be number' }] } });
  });
});

describe('when to stop', () => {
  it('gives up after maxRetries, reporting the attempts and the last status', async () => {
    const { http, client } = setUp(() => problem(503, 'storage_unavailable'), { maxRetries: 3 });
    const result = await client.track({ userId: 'u', event: 'E' });
    expect(result).toMatchObject({ ok: false, reason: 'retries_exhausted', error: { attempts: 4, status: 503 } });
    if (!result.ok) expect(result.error).toBeInstanceOf(RetriesExhaustedError);
    expect(http.requests).toHaveLength(4);
  });

  it('gives up once maxRetryDuration would be exceeded, whatever maxRetries says', async () => {
    const { client } = setUp(() => problem(500, 'x'), { maxRetries: 1_000_000, minRetryDelay: 20, maxRetryDelay: 40, maxRetryDuration: 250 });
    const started = Date.now();
    const result = await client.track({ userId: 'u', event: 'E' });
    expect(result).toMatchObject({ ok: false, reason: 'retries_exhausted' });
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('does not sleep through a Retry-After longer than the retry budget: it reports at once', async () => {
    const { http, client } = setUp(() => problem(429, 'rate_limited', { 'retry-after': '3600' }), { maxRetryDuration: 60_000 });
    const started = Date.now();
    expect(await client.track({ userId: 'u', event: 'E' })).toMatchObject({ ok: false, reason: 'retries_exhausted', error: { status: 429 } });
    expect(Date.now() - started).toBeLessThan(500);
    expect(http.requests).toHaveLength(1);
  });
});

describe('timing', () => {
  it('honours Retry-After (seconds)', async () => {
    const { http, client, retries } = setUp(({ n }) => (n === 1 ? problem(503, 'x', { 'retry-after': '1' }) : ok()));
    expect(await client.track({ userId: 'u', event: 'E' })).toMatchObject({ ok: true });
    expect(retries[0]!.delayMs).toBe(1000);
    const [first, second] = http.requests;
    expect(second!.body.sentAt > first!.body.sentAt).toBe(true);
    expect(Date.parse(second!.body.sentAt) - Date.parse(first!.body.sentAt)).toBeGreaterThanOrEqual(990);
  });

  it('backs off exponentially with full jitter between minRetryDelay and maxRetryDelay', async () => {
    const { client, retries } = setUp(() => problem(500, 'x'), { maxRetries: 8, minRetryDelay: 4, maxRetryDelay: 64 });
    await client.track({ userId: 'u', event: 'E' });
    expect(retries).toHaveLength(8);
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThanOrEqual(Math.min(64, 4 * 2 ** i));
    });
  });

  it('times out a request that does not answer, even from a client that ignores its signal', async () => {
    const { http, client, retries } = setUp(({ n }) => (n === 1 ? new Promise(() => {}) : ok()), { timeout: 100 });
    const started = Date.now();
    expect(await client.track({ userId: 'u', event: 'E' })).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(retries[0]!.error.message).toMatch(/timed out after 100 ms/);
    expect(http.requests[0]!.request.signal.aborted).toBe(true);
  });
});
