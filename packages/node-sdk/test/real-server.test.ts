import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackingClient, type DeliveryResult } from '../src';
import { SDK_NAME, SDK_VERSION } from '../src/version';
import { startRealServer, type RealServer } from './support/real-server';

// The same scenarios on both backends the server ships with; BACKENDS=pglite narrows the list.
const BACKENDS = (process.env.BACKENDS ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];

describe.each(BACKENDS)('against the real server on %s', (backend) => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer(backend);
  });
  afterAll(async () => server?.close());

  it('stores every kind of call exactly once, with the library, sentAt and skew-corrected timestamps', async () => {
    const system = await server.newSystem();
    const client = new TrackingClient({ writeKey: system.writeKey, host: server.url, flushAt: 4, flushInterval: 50 });
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    const started = Date.now();
    const calls: Promise<DeliveryResult>[] = [
      client.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } }),
      ...Array.from({ length: 10 }, (_, i) => client.track({ userId: 'user-1', event: 'Item Viewed', properties: { index: i } })),
      client.page({ userId: 'user-1', name: 'Pricing', category: 'Docs', properties: { path: '/pricing' } }),
      client.screen({ anonymousId: 'anon-1', name: 'Settings' }),
      client.group({ userId: 'user-1', groupId: 'org-1', traits: { name: 'Acme' } }),
      client.alias({ userId: 'user-1', previousId: 'anon-1' }),
      client.track({ userId: 42, event: 'Backdated', timestamp: new Date(started - 60_000) }),
    ];
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(errors).toEqual([]);

    const stored = await system.stored();
    expect(stored).toHaveLength(16);
    expect(new Set(stored.map((e) => e.messageId))).toEqual(new Set(results.map((r) => r.messageId)));
    const byType = stored.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.type]: (acc[e.type] ?? 0) + 1 }), {});
    expect(byType).toEqual({ identify: 1, track: 11, page: 1, screen: 1, group: 1, alias: 1 });
    for (const event of stored) {
      expect(event.context.library).toEqual({ name: SDK_NAME, version: SDK_VERSION });
      expect(event.sentAt).not.toBeNull();
      const corrected = Date.parse(event.receivedAt) - (Date.parse(event.sentAt!) - Date.parse(event.originalTimestamp!));
      expect(Date.parse(event.timestamp)).toBe(corrected);
    }
    const page = stored.find((e) => e.type === 'page')!;
    expect(page.event).toBe('Pricing');
    expect(page.properties).toEqual({ path: '/pricing', category: 'Docs' });
    expect(stored.find((e) => e.type === 'group')!.groupId).toBe('org-1');
    expect(stored.find((e) => e.type === 'alias')!.previousId).toBe('anon-1');
    const backdated = stored.find((e) => e.event === 'Backdated')!;
    expect(backdated.userId).toBe('42');
    expect(Date.parse(backdated.originalTimestamp!)).toBe(started - 60_000);
    await client.closeAndFlush();
  });

  it('waits out the server\'s rate limit (429 with Retry-After) and then delivers everything once', async () => {
    // A batch larger than the burst is taken from the full bucket and leaves it in debt: the next one waits.
    const system = await server.newSystem({ rateLimits: { ingest: { perSecond: 4, burst: 4 } } });
    const client = new TrackingClient({ writeKey: system.writeKey, host: server.url, flushAt: 8, flushInterval: 10 });
    const retries: { status?: number; delayMs: number }[] = [];
    client.on('retry', ({ status, delayMs }) => retries.push({ status, delayMs }));
    const send = (round: number) => Promise.all(Array.from({ length: 8 }, (_, i) => client.track({ userId: 'u', event: 'Limited', properties: { round, i } })));
    expect((await send(1)).every((r) => r.ok)).toBe(true);
    expect(retries).toEqual([]);
    expect((await send(2)).every((r) => r.ok)).toBe(true);
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      expect(retry.status).toBe(429);
      expect(retry.delayMs).toBeGreaterThanOrEqual(1000);
    }
    expect(await system.stored()).toHaveLength(16);
    await client.closeAndFlush();
  });

  it.each([true, false])('delivers a burst of 3,000 calls exactly once (gzip: %s)', async (gzip) => {
    const system = await server.newSystem();
    const client = new TrackingClient({ writeKey: system.writeKey, host: server.url, gzip });
    const compressed: boolean[] = [];
    client.on('http_request', (request) => compressed.push(request.gzip));
    const results = await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        client.track({ anonymousId: `anon-${i % 50}`, event: 'Burst', properties: { i, note: 'é ü — 日本' } }),
      ),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // A synchronous burst fills batches up to maxBatchBytes, not flushAt: few requests.
    expect(compressed.length).toBeLessThan(20);
    expect(compressed.every((c) => c === gzip)).toBe(true);
    const stored = await system.stored();
    expect(stored).toHaveLength(3000);
    expect(new Set(stored.map((e) => (e.properties as { i: number }).i)).size).toBe(3000);
    expect(stored[0]!.properties.note).toBe('é ü — 日本');
    await client.closeAndFlush();
  });

  it('reports what the server refuses by name and stores the valid neighbours', async () => {
    // With unplanned events rejected, a track call the client finds valid is refused by the server.
    const system = await server.newSystem({ unplannedEvents: 'reject' });
    const client = new TrackingClient({ writeKey: system.writeKey, host: server.url, flushAt: 3 });
    const dropped: string[] = [];
    client.on('dropped', (d) => dropped.push(`${d.reason}:${d.messageId}`));
    const [identified, tracked, paged] = await Promise.all([
      client.identify({ userId: 'u1' }),
      client.track({ userId: 'u1', event: 'Not In The Plan' }),
      client.page({ userId: 'u1', name: 'Home' }),
    ]);
    expect(identified!.ok).toBe(true);
    expect(paged!.ok).toBe(true);
    expect(tracked).toMatchObject({ ok: false, reason: 'rejected', error: { status: 200 } });
    if (!tracked!.ok) expect(tracked!.error.message).toMatch(/refused/);
    expect(dropped).toEqual([`rejected:${tracked!.messageId}`]);
    expect((await system.stored()).map((e) => e.type).sort()).toEqual(['identify', 'page']);

    // Every item refused: the server answers 400 with a problem document, carried to the caller.
    const alone = client.track({ userId: 'u1', event: 'Also Not Planned' });
    expect(await client.flush()).toEqual({ delivered: 0, failed: 1, pending: 0 });
    expect(await alone).toMatchObject({ ok: false, reason: 'rejected', error: { status: 400, problem: { code: 'invalid_input' } } });
    await client.closeAndFlush();
  });

  it('reports a wrong write key as rejected (401 problem), without retrying', async () => {
    const client = new TrackingClient({ writeKey: 'wk_not_a_real_key', host: server.url, flushAt: 1 });
    let requests = 0;
    const errors: Error[] = [];
    client.on('http_request', () => requests++).on('error', (error) => errors.push(error));
    const result = await client.track({ userId: 'u1', event: 'Nope' });
    expect(result).toMatchObject({ ok: false, reason: 'rejected', error: { status: 401, problem: { code: 'unauthorized' } } });
    expect(requests).toBe(1);
    expect(errors).toHaveLength(1);
    await client.closeAndFlush();
  });
});
