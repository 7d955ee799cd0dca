import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

it('takes every call of the official @segment/analytics-node client, unmodified, exactly once', async () => {
  const { systemId, writeKey } = await server.newSystem();
  const analytics = new Analytics({ writeKey, host: server.url, flushAt: 4, flushInterval: 50, maxRetries: 3 });
  const errors: unknown[] = [];
  analytics.on('error', (error) => errors.push(error));
  const started = Date.now();

  analytics.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
  for (let i = 0; i < 10; i++) analytics.track({ userId: 'user-1', event: 'Item Viewed', properties: { index: i } });
  analytics.page({ userId: 'user-1', name: 'Pricing', properties: { path: '/pricing' } });
  analytics.screen({ anonymousId: 'anon-1', name: 'Settings' });
  analytics.group({ userId: 'user-1', groupId: 'org-1', traits: { name: 'Acme' } });
  analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
  analytics.track({ userId: 'user-1', event: 'Backdated', timestamp: new Date(started - 60_000) });
  await analytics.closeAndFlush({ timeout: 10_000 });
  expect(errors).toEqual([]);

  const body = await (await server.api(`/api/systems/${systemId}/events?limit=100`)).json();
  const stored = body.data as { messageId: string; type: string; event: string | null; timestamp: string; receivedAt: string; originalTimestamp: string | null; sentAt: string | null; context: { library?: { name?: string } } }[];
  expect(stored).toHaveLength(16);
  expect(new Set(stored.map((e) => e.messageId)).size).toBe(16);
  const byType = stored.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.type]: (acc[e.type] ?? 0) + 1 }), {});
  expect(byType).toEqual({ identify: 1, track: 11, page: 1, screen: 1, group: 1, alias: 1 });
  for (const event of stored) {
    expect(event.context.library?.name).toBe('@segment/analytics-node');
    // The client stamps sentAt on each batch; the corrected timestamp lands within the request's round trip.
    expect(event.sentAt).not.toBeNull();
    const skewCorrected = Date.parse(event.receivedAt) - (Date.parse(event.sentAt!) - Date.parse(event.originalTimestamp!));
    expect(Date.parse(event.timestamp)).toBe(skewCorrected);
  }
  const backdated = stored.find((e) => e.event === 'Backdated')!;
  expect(Date.parse(backdated.originalTimestamp!)).toBe(started - 60_000);
  expect(Math.abs(Date.parse(backdated.timestamp) - (started - 60_000))).toBeLessThan(5_000);
});
