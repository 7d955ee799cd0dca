import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TrackingClient, type TrackingClientSettings } from '../src';
import { deferred, FakeHttpClient, ok, until } from './support/fake-http-client';

function setUp(settings: Partial<TrackingClientSettings> = {}, http = new FakeHttpClient()) {
  const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, ...settings });
  client.on('error', () => {});
  return { http, client };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('when a batch leaves', () => {
  it('sends as soon as flushAt calls are queued, not before', async () => {
    const { http, client } = setUp({ flushAt: 3, flushInterval: 60_000 });
    client.track({ userId: 'u', event: '1' });
    client.track({ userId: 'u', event: '2' });
    await tick();
    expect(http.requests).toHaveLength(0);
    client.track({ userId: 'u', event: '3' });
    await tick();
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]!.body.batch).toHaveLength(3);
    await client.closeAndFlush();
  });

  it('sends a partial batch flushInterval after its first call', async () => {
    const { http, client } = setUp({ flushAt: 100, flushInterval: 80 });
    const started = Date.now();
    const result = client.track({ userId: 'u', event: 'Lonely' });
    await tick();
    expect(http.requests).toHaveLength(0);
    expect(await result).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(http.requests).toHaveLength(1);
  });

  it('with flushAt 1 sends every call at once', async () => {
    const http = new FakeHttpClient();
    const { client } = setUp({ flushAt: 1, maxConcurrentRequests: 10 }, http);
    for (let i = 0; i < 3; i++) {
      await client.track({ userId: 'u', event: `${i}` });
    }
    expect(http.requests.map((r) => r.body.batch.length)).toEqual([1, 1, 1]);
  });
});

describe('batch size', () => {
  it('keeps every request body under maxBatchBytes, splitting a backlog across requests', async () => {
    const { http, client } = setUp({ flushAt: 1000, maxBatchBytes: 8 * 1024, maxEventBytes: 2 * 1024, gzip: false });
    const calls = Array.from({ length: 40 }, (_, i) => client.track({ userId: 'u', event: 'Sized', properties: { i, pad: 'x'.repeat(900) } }));
    await client.flush();
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true);
    expect(http.requests.length).toBeGreaterThanOrEqual(5);
    for (const { rawBytes } of http.requests) expect(rawBytes).toBeLessThanOrEqual(8 * 1024);
    expect(http.messages.map((m) => (m.properties as { i: number }).i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('never puts more than 2,500 messages in one request (the server limit)', async () => {
    const { http, client } = setUp({ flushAt: 2500, maxQueueSize: 6000, maxBatchBytes: 4 * 1024 * 1024 });
    for (let i = 0; i < 6000; i++) client.track({ userId: 'u', event: 'E' });
    await client.flush();
    // Compressed in parallel, so the smaller request may reach the wire first.
    expect(http.requests.map((r) => r.body.batch.length).sort()).toEqual([1000, 2500, 2500]);
  });

  it('coalesces calls made while requests are in flight into fuller batches', async () => {
    const gate = deferred();
    const http = new FakeHttpClient(async () => (await gate.promise, ok()));
    const { client } = setUp({ flushAt: 2, maxConcurrentRequests: 1 }, http);
    client.track({ userId: 'u', event: 'a' });
    client.track({ userId: 'u', event: 'b' });
    await until(() => http.requests.length === 1);
    for (let i = 0; i < 9; i++) client.track({ userId: 'u', event: `c${i}` });
    await tick();
    expect(http.requests).toHaveLength(1);
    gate.resolve();
    await client.flush();
    expect(http.requests.map((r) => r.body.batch.length)).toEqual([2, 9]);
  });
});

describe('transport', () => {
  it('never has more than maxConcurrentRequests in flight', async () => {
    const http = new FakeHttpClient(async () => (await new Promise((r) => setTimeout(r, 10)), ok()));
    const { client } = setUp({ flushAt: 1, maxConcurrentRequests: 3 }, http);
    const calls = [];
    for (let i = 0; i < 30; i++) {
      calls.push(client.track({ userId: 'u', event: `${i}` }));
      await tick();
    }
    await Promise.all(calls);
    expect(http.maxInFlight).toBe(3);
    expect(http.messages).toHaveLength(30);
  });

  it('gzips bodies of 1 KiB or more, and only those', async () => {
    const { http, client } = setUp({ flushAt: 1 });
    await client.track({ userId: 'u', event: 'Small' });
    await client.track({ userId: 'u', event: 'Large', properties: { text: 'lorem ipsum '.repeat(200) } });
    const [small, large] = http.requests;
    expect(small!.request.headers['content-encoding']).toBeUndefined();
    expect(large!.request.headers['content-encoding']).toBe('gzip');
    expect(large!.rawBytes).toBeLessThan(600);
    expect(JSON.parse(gunzipSync(large!.request.body as Uint8Array).toString()).batch[0].event).toBe('Large');
  });

  it('sends plain JSON when gzip is off', async () => {
    const { http, client } = setUp({ flushAt: 1, gzip: false });
    await client.track({ userId: 'u', event: 'Large', properties: { text: 'lorem ipsum '.repeat(200) } });
    expect(http.requests[0]!.request.headers['content-encoding']).toBeUndefined();
    expect(typeof http.requests[0]!.request.body).toBe('string');
  });
});
