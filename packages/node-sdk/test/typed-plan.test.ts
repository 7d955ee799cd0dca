// Type tests: `tsc -p tsconfig.json` (the package's `typecheck`) checks the `@ts-expect-error` lines
// and `expectTypeOf` assertions below; vitest runs the file too, against a fake HTTP client.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TrackingClient, type DeliveryResult, type FlushResult, type TrackCall } from '../src';
import { FakeHttpClient } from './support/fake-http-client';

type Plan = {
  'Order Completed': { orderId: string; total: number; coupon?: string };
  'Product Viewed': { sku: string; tags?: string[] };
  'Newsletter Opened': { issue?: number };
  'Signed Out': undefined;
};

const settings = { writeKey: 'wk', host: 'http://127.0.0.1:1', flushAt: 1 };

describe('TrackingClient<Plan>', () => {
  it('accepts the planned events with their properties', async () => {
    const http = new FakeHttpClient();
    const client = new TrackingClient<Plan>({ ...settings, httpClient: http });
    const results = await Promise.all([
      client.track({ userId: 'u1', event: 'Order Completed', properties: { orderId: 'o-1', total: 42 } }),
      client.track({ anonymousId: 'a1', event: 'Order Completed', properties: { orderId: 'o-2', total: 1, coupon: 'X' } }),
      client.track({ userId: 'u1', event: 'Product Viewed', properties: { sku: 's', tags: ['a'] } }),
      // Every property optional: properties may be left out.
      client.track({ userId: 'u1', event: 'Newsletter Opened' }),
      // Planned without properties.
      client.track({ userId: 'u1', event: 'Signed Out' }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(http.messages.map((m) => m.event)).toEqual(['Order Completed', 'Order Completed', 'Product Viewed', 'Newsletter Opened', 'Signed Out']);
  });

  it('refuses, at compile time, what the plan does not allow', () => {
    const client = new TrackingClient<Plan>({ ...settings, httpClient: new FakeHttpClient() });
    client.on('error', () => {});
    // @ts-expect-error a misspelled event
    void client.track({ userId: 'u1', event: 'Order Complete', properties: { orderId: 'o', total: 1 } });
    // @ts-expect-error a property of the wrong type
    void client.track({ userId: 'u1', event: 'Order Completed', properties: { orderId: 'o', total: '42' } });
    // @ts-expect-error a required property missing
    void client.track({ userId: 'u1', event: 'Order Completed', properties: { orderId: 'o' } });
    // @ts-expect-error properties missing although some are required
    void client.track({ userId: 'u1', event: 'Order Completed' });
    // @ts-expect-error a property the plan does not declare
    void client.track({ userId: 'u1', event: 'Product Viewed', properties: { sku: 's', colour: 'red' } });
    // @ts-expect-error properties on an event planned without any
    void client.track({ userId: 'u1', event: 'Signed Out', properties: { reason: 'x' } });
    // @ts-expect-error neither userId nor anonymousId
    void client.track({ event: 'Signed Out' });
    // @ts-expect-error an id that is not a string or a number
    void client.identify({ userId: { id: 1 } });
    // @ts-expect-error group without groupId
    void client.group({ userId: 'u1' });
    // @ts-expect-error alias without previousId
    void client.alias({ userId: 'u1' });
  });

  it('types what comes back', () => {
    const client = new TrackingClient<Plan>({ ...settings, httpClient: new FakeHttpClient() });
    expectTypeOf(client.track<'Signed Out'>).returns.toEqualTypeOf<Promise<DeliveryResult>>();
    expectTypeOf(client.flush).returns.toEqualTypeOf<Promise<FlushResult>>();
    expectTypeOf<TrackCall<Plan, 'Order Completed'>['properties']>().toEqualTypeOf<Plan['Order Completed']>();
    expectTypeOf<TrackCall<Plan, 'Newsletter Opened'>['properties']>().toEqualTypeOf<{ issue?: number } | undefined>();
    client.on('dropped', (dropped) => {
      expectTypeOf(dropped.reason).toEqualTypeOf<'invalid' | 'too_large' | 'closed' | 'queue_full' | 'rejected' | 'retries_exhausted' | 'aborted'>();
    });
    // @ts-expect-error not an event of the client
    client.on('not-an-event', () => {});
    void client.closeAndFlush();
  });
});

describe('TrackingClient without a plan', () => {
  it('accepts any event with any properties', async () => {
    const http = new FakeHttpClient();
    const client = new TrackingClient({ ...settings, httpClient: http });
    client.on('error', () => {});
    const name: string = 'Anything ' + Math.random();
    expect(await client.track({ userId: 'u1', event: name, properties: { any: { nested: [1, 'two'] } } })).toMatchObject({ ok: true });
    expect(await client.track({ userId: 'u1', event: 'No Properties' })).toMatchObject({ ok: true });
    expectTypeOf(client.track<'X'>).parameter(0).toHaveProperty('properties');
    // @ts-expect-error event is still required
    void client.track({ userId: 'u1' });
  });
});
