import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';
import { allEvents, expectFields, expectJson, expectProblem, expectUnauthorized, ingest, missingUuid, type Body } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const trackBatch = (ids: string[], extra: Record<string, unknown> = {}) =>
  ids.map((messageId) => ({ type: 'track', messageId, userId: 'u1', event: 'Viewed', properties: { id: messageId }, ...extra }));
const page = async (systemId: string, query: string, headers?: Record<string, string>): Promise<Body> =>
  expectJson(await t.api(`/api/systems/${systemId}/events${query}`, { headers }), 200);

describe('GET /api/systems/:id/events', () => {
  it('returns events newest first in Segment’s field names', async () => {
    const { systemId, writeKey, secretKey } = await t.newSystem();
    const sent = { userId: 'u1', event: 'Product Viewed', properties: { sku: 'A1', price: 9.5 }, timestamp: '2024-05-01T10:00:00.000Z', messageId: 'm-1' };
    await expectJson(await ingest(t, '/v1/track', writeKey, sent), 200);
    await expectJson(await ingest(t, '/v1/identify', writeKey, { anonymousId: 'anon-1', traits: { plan: 'pro' }, messageId: 'm-2' }), 200);
    const { data, nextCursor } = await page(systemId, '', bearer(secretKey));
    expect(nextCursor).toBeNull();
    expect(data.map((e: Body) => e.messageId)).toEqual(['m-2', 'm-1']);
    expect(data[1]).toMatchObject({
      messageId: 'm-1',
      type: 'track',
      event: 'Product Viewed',
      userId: 'u1',
      anonymousId: null,
      properties: { sku: 'A1', price: 9.5 },
      timestamp: '2024-05-01T10:00:00.000Z',
      valid: true,
    });
    expect(Date.parse(data[1].receivedAt)).not.toBeNaN();
    expect(data[0]).toMatchObject({ type: 'identify', anonymousId: 'anon-1', userId: null, traits: { plan: 'pro' } });
  });

  it('pages through every event exactly once; the cursor is stable while new events arrive', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const ids = Array.from({ length: 7 }, (_, i) => `p-${i}`);
    await expectJson(await ingest(t, '/v1/batch', writeKey, { batch: trackBatch(ids) }), 200);

    const first = await page(systemId, '?limit=3');
    expect(first.data.map((e: Body) => e.messageId)).toEqual(['p-6', 'p-5', 'p-4']);
    await expectJson(await ingest(t, '/v1/batch', writeKey, { batch: trackBatch(['late-1', 'late-2']) }), 200);

    const seen: string[] = first.data.map((e: Body) => e.messageId);
    let cursor: string | null = first.nextCursor;
    const sizes = [first.data.length];
    while (cursor) {
      const next: Body = await page(systemId, `?limit=3&cursor=${cursor}`);
      seen.push(...next.data.map((e: Body) => e.messageId));
      sizes.push(next.data.length);
      cursor = next.nextCursor;
    }
    expect(seen).toEqual(['p-6', 'p-5', 'p-4', 'p-3', 'p-2', 'p-1', 'p-0']);
    expect(sizes).toEqual([3, 3, 1]);
    expect((await page(systemId, '?limit=2')).data.map((e: Body) => e.messageId)).toEqual(['late-2', 'late-1']);
  });

  it('filters with valid=false / valid=true once a structure the event breaks is defined', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const schema = { type: 'object', required: ['total'], properties: { total: { type: 'number' } } };
    await expectJson(await t.api(`/api/systems/${systemId}/event-structures/Order%20Completed`, { method: 'PUT', json: { schema } }), 201);
    const batch = [
      { type: 'track', messageId: 'good', userId: 'u1', event: 'Order Completed', properties: { total: 10 } },
      { type: 'track', messageId: 'bad', userId: 'u1', event: 'Order Completed', properties: { total: 'ten' } },
      { type: 'identify', messageId: 'other', userId: 'u1' },
    ];
    const res = await expectJson(await ingest(t, '/v1/batch', writeKey, { batch }), 200);
    expect(res).toEqual({ success: true });

    const invalid = await page(systemId, '?valid=false');
    expect(invalid.data.map((e: Body) => e.messageId)).toEqual(['bad']);
    expect(invalid.data[0].validationErrors).toEqual([expect.objectContaining({ path: '/properties/total' })]);
    expect((await page(systemId, '?valid=true')).data.map((e: Body) => e.messageId)).toEqual(['other', 'good']);
    expect((await page(systemId, '')).data).toHaveLength(3);
  });

  it.each(['0', '1001', 'ten', '2.5', '-3'])('answers 400 naming limit for limit=%s', async (limit) => {
    const { systemId } = await t.newSystem();
    await expectFields(await t.api(`/api/systems/${systemId}/events?limit=${limit}`), ['limit']);
  });

  it.each([
    ['garbage', '***'],
    ['a non-numeric key', Buffer.from('abc').toString('base64url')],
    ['a zero sequence', Buffer.from('0').toString('base64url')],
    ['a partner-list cursor', Buffer.from(missingUuid).toString('base64url')],
    ['an over-long text', 'A'.repeat(300)],
  ])('answers 400 naming cursor for %s', async (_label, cursor) => {
    const { systemId } = await t.newSystem();
    await expectFields(await t.api(`/api/systems/${systemId}/events?cursor=${encodeURIComponent(cursor)}`), ['cursor']);
  });

  it('answers 400 naming cursor for a sequence beyond the bigint range', async () => {
    const { systemId } = await t.newSystem();
    const cursor = Buffer.from('9999999999999999999').toString('base64url');
    await expectFields(await t.api(`/api/systems/${systemId}/events?cursor=${cursor}`), ['cursor']);
  });

  it.each(['yes', '1', 'FALSE'])('answers 400 naming valid for valid=%s', async (valid) => {
    const { systemId } = await t.newSystem();
    await expectFields(await t.api(`/api/systems/${systemId}/events?valid=${valid}`), ['valid']);
  });

  it('answers 404 for unknown and non-UUID systems, and 401 without credentials', async () => {
    await expectProblem(await t.api(`/api/systems/${missingUuid}/events`), 404);
    await expectProblem(await t.api('/api/systems/123/events'), 404);
    const { systemId } = await t.newSystem();
    await expectUnauthorized(await t.api(`/api/systems/${systemId}/events`, { headers: { authorization: '' } }));
    await expectUnauthorized(await t.api(`/api/systems/${systemId}/events`, { headers: { authorization: basic('sk_0123456789abcdef_' + 'B'.repeat(43)) } }));
  });
});

describe('tenant isolation', () => {
  it('a system’s keys neither read nor reveal another system’s data', async () => {
    const a = await t.newSystem();
    const b = await t.newSystem();
    await expectJson(await ingest(t, '/v1/batch', a.writeKey, { batch: trackBatch(['shared-id', 'a-only']) }), 200);
    await expectJson(await ingest(t, '/v1/batch', b.writeKey, { batch: trackBatch(['shared-id'], { userId: 'b-user' }) }), 200);

    // Each system sees its own events, even when messageIds coincide.
    expect((await page(a.systemId, '', bearer(a.secretKey))).data.map((e: Body) => e.messageId)).toEqual(['a-only', 'shared-id']);
    const bEvents = (await page(b.systemId, '', bearer(b.secretKey))).data;
    expect(bEvents.map((e: Body) => [e.messageId, e.userId])).toEqual([['shared-id', 'b-user']]);

    for (const path of ['', '/events', '/event-structures', '/event-structures/Viewed']) {
      const url = `/api/systems/${b.systemId}${path}`;
      const res = await t.api(url, { headers: bearer(a.secretKey) });
      const body = await expectProblem(res, 404, 'not_found');
      expect(JSON.stringify(body)).not.toContain('b-user');
      await expectProblem(await t.api(url, { headers: { authorization: basic(a.writeKey) } }), 404);
      await expectProblem(await t.api(url, { headers: { authorization: basic(b.writeKey) } }), 403, 'forbidden');
    }
  });

  it('a key always ingests into its own system, whatever the body claims', async () => {
    const a = await t.newSystem();
    const b = await t.newSystem();
    // A body writeKey does not override the Authorization header.
    await expectJson(await ingest(t, '/v1/track', a.writeKey, { writeKey: b.writeKey, userId: 'u1', event: 'Mine', messageId: 'claim' }), 200);
    expect((await allEvents(t, a.systemId)).map((e) => e.messageId)).toEqual(['claim']);
    expect(await allEvents(t, b.systemId)).toEqual([]);
  });

  it('management routes refuse every API key with 403, even for the key’s own system', async () => {
    const a = await t.newSystem();
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/partners/${a.partnerId}`],
      ['GET', `/api/partners/${a.partnerId}/systems`],
      ['PATCH', `/api/systems/${a.systemId}/settings`, { invalidEvents: 'reject' }],
      ['GET', `/api/systems/${a.systemId}/keys`],
      ['POST', `/api/systems/${a.systemId}/keys`, { kind: 'secret' }],
      ['PUT', `/api/systems/${a.systemId}/event-structures/X`, { schema: {} }],
    ];
    for (const [method, path, json] of attempts) {
      await expectProblem(await t.api(path, { method, json, headers: bearer(a.secretKey) }), 403, 'forbidden');
    }
    expect((await expectJson(await t.api(`/api/systems/${a.systemId}`), 200)).settings.invalidEvents).toBe('flag');
  });
});
