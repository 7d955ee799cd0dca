import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';
import { allEvents, expectFields, expectJson, expectProblem, expectUnauthorized, ingest, missingUuid } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const orderSchema = {
  type: 'object',
  properties: { orderId: { type: 'string' }, total: { type: 'number', minimum: 0 } },
  required: ['orderId', 'total'],
};
const put = (systemId: string, name: string, json: unknown, headers?: Record<string, string>) =>
  t.api(`/api/systems/${systemId}/event-structures/${encodeURIComponent(name)}`, { method: 'PUT', json, headers });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('PUT /api/systems/:id/event-structures/:eventName', () => {
  it('creates version 1 (201), versions a change (200), and leaves a repeat unchanged (200)', async () => {
    const { systemId } = await t.newSystem();
    const first = await expectJson(await put(systemId, 'Order Completed', { schema: orderSchema }), 201);
    expect(first).toMatchObject({ eventName: 'Order Completed', version: 1, schema: orderSchema, required: false, changed: true });

    const repeat = await expectJson(await put(systemId, 'Order Completed', { schema: orderSchema }), 200);
    expect(repeat).toMatchObject({ version: 1, changed: false });

    const strict = await expectJson(await put(systemId, 'Order Completed', { schema: orderSchema, required: true }), 200);
    expect(strict).toMatchObject({ version: 2, required: true, changed: true });

    const got = await expectJson(await t.api(`/api/systems/${systemId}/event-structures/Order%20Completed`), 200);
    expect(got).toMatchObject({ eventName: 'Order Completed', version: 2, required: true, schema: orderSchema });
  });

  it('keeps names with a slash or unicode intact', async () => {
    const { systemId } = await t.newSystem();
    for (const name of ['checkout/step 1', 'Bestellung abgeschlossen ✓']) {
      await expectJson(await put(systemId, name, { schema: { type: 'object' } }), 201);
      const got = await expectJson(await t.api(`/api/systems/${systemId}/event-structures/${encodeURIComponent(name)}`), 200);
      expect(got.eventName).toBe(name);
    }
  });

  it.each([
    ['no schema', {}, 'schema'],
    ['a string schema', { schema: 'object' }, 'schema'],
    ['an array schema', { schema: [] }, 'schema'],
    ['an invalid JSON Schema', { schema: { type: 'nope' } }, 'schema'],
    ['a schema with a broken pattern', { schema: { type: 'string', pattern: '(' } }, 'schema'],
    ['a non-boolean required', { schema: {}, required: 'yes' }, 'required'],
    ['an unknown field', { schema: {}, version: 3 }, 'version'],
  ])('answers 400 for %s, naming the field, and stores nothing', async (_label, json, field) => {
    const { systemId } = await t.newSystem();
    await expectFields(await put(systemId, 'Signed Up', json), [field]);
    await expectProblem(await t.api(`/api/systems/${systemId}/event-structures/Signed%20Up`), 404);
  });

  it('answers 400 naming eventName for a name over 200 characters', async () => {
    const { systemId } = await t.newSystem();
    await expectFields(await put(systemId, 'x'.repeat(201), { schema: {} }), ['eventName']);
  });

  it('answers 400 for invalid JSON and 415 for a non-JSON content type', async () => {
    const { systemId } = await t.newSystem();
    const raw = (body: string, type: string) =>
      t.api(`/api/systems/${systemId}/event-structures/E`, { method: 'PUT', body, headers: { 'content-type': type } });
    await expectProblem(await raw('{"schema": {', 'application/json'), 400, 'invalid_input');
    await expectProblem(await raw('{"schema": {}}', 'text/plain'), 415, 'unsupported_media_type');
    await expectProblem(await raw('schema=1', 'application/x-www-form-urlencoded'), 415);
  });

  it('needs the admin token: the system’s own secret key is 403, none is 401', async () => {
    const { systemId, secretKey } = await t.newSystem();
    await expectProblem(await put(systemId, 'E', { schema: {} }, bearer(secretKey)), 403, 'forbidden');
    await expectUnauthorized(await put(systemId, 'E', { schema: {} }, { authorization: '' }));
    await expectProblem(await t.api(`/api/systems/${systemId}/event-structures/E`), 404);
  });

  it('answers 404 for unknown and non-UUID systems, and 409 for a deactivated one', async () => {
    await expectProblem(await put(missingUuid, 'E', { schema: {} }), 404);
    await expectProblem(await put('web', 'E', { schema: {} }), 404);
    const { systemId } = await t.newSystem();
    await expectJson(await t.api(`/api/systems/${systemId}/deactivate`, { method: 'POST' }), 200);
    await expectProblem(await put(systemId, 'E', { schema: {} }), 409, 'inactive');
  });
});

describe('GET /api/systems/:id/event-structures[/:eventName]', () => {
  it('lists the current version of each structure to the admin and the own secret key', async () => {
    const { systemId, secretKey } = await t.newSystem();
    await expectJson(await put(systemId, 'B Event', { schema: { type: 'object' } }), 201);
    await expectJson(await put(systemId, 'A Event', { schema: { type: 'object' } }), 201);
    await expectJson(await put(systemId, 'A Event', { schema: orderSchema }), 200);
    for (const headers of [undefined, bearer(secretKey)]) {
      const list = await expectJson(await t.api(`/api/systems/${systemId}/event-structures`, { headers }), 200);
      const byName = Object.fromEntries(list.data.map((s: { eventName: string; version: number }) => [s.eventName, s.version]));
      expect(byName).toEqual({ 'A Event': 2, 'B Event': 1 });
    }
  });

  it('answers an empty list for a system without structures, and 404 for an unknown structure', async () => {
    const { systemId } = await t.newSystem();
    expect(await expectJson(await t.api(`/api/systems/${systemId}/event-structures`), 200)).toEqual({ data: [] });
    await expectProblem(await t.api(`/api/systems/${systemId}/event-structures/Nope`), 404, 'not_found');
  });

  it('refuses a write key with 403 and another system’s secret key with 404', async () => {
    const mine = await t.newSystem();
    const other = await t.newSystem();
    await expectJson(await put(mine.systemId, 'Secret Plan', { schema: { type: 'object' } }), 201);
    for (const path of ['event-structures', 'event-structures/Secret%20Plan']) {
      const url = `/api/systems/${mine.systemId}/${path}`;
      await expectProblem(await t.api(url, { headers: { authorization: basic(mine.writeKey) } }), 403);
      const leaked = await t.api(url, { headers: bearer(other.secretKey) });
      const body = await expectProblem(leaked, 404);
      expect(JSON.stringify(body)).not.toContain('Secret Plan"');
      await expectUnauthorized(await t.api(url, { headers: { authorization: 'Bearer nope' } }));
    }
  });

  it('answers 404 for unknown and non-UUID systems', async () => {
    for (const id of [missingUuid, 'not-a-uuid']) {
      await expectProblem(await t.api(`/api/systems/${id}/event-structures`), 404);
      await expectProblem(await t.api(`/api/systems/${id}/event-structures/E`), 404);
    }
  });
});

describe('structures applied to ingestion', () => {
  it('flags an event that breaks a structure by default, and rejects it once the structure is required', async () => {
    const { systemId, writeKey } = await t.newSystem();
    await expectJson(await put(systemId, 'Order Completed', { schema: orderSchema }), 201);
    await expectJson(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'Order Completed', properties: { orderId: 'o1' } }), 200);
    const [flagged] = await allEvents(t, systemId);
    expect(flagged).toMatchObject({ event: 'Order Completed', valid: false });
    expect(flagged.validationErrors.length).toBeGreaterThan(0);

    await expectJson(await put(systemId, 'Order Completed', { schema: orderSchema, required: true }), 200);
    const res = await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'Order Completed', properties: { orderId: 'o2', total: -1 } });
    await expectFields(res, ['properties.total']);
    await expectJson(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'Order Completed', properties: { orderId: 'o3', total: 5 } }), 200);
    const events = await allEvents(t, systemId);
    expect(events.map((e) => [e.properties.orderId, e.valid])).toEqual([['o3', true], ['o1', false]]);
  });
});
