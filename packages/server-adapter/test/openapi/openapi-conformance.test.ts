import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/openapi/build-document';
import { ADMIN_TOKEN, basic, startTestServer, type TestServer } from '../support/test-server';
import { OpenApiChecker } from './openapi-checker';

// Drives a real server through every documented operation, successes and typical errors, and
// checks every answer against /openapi.json: documented status, media type and schema.

const missingUuid = '01900000-0000-7000-8000-000000000000';
const unknownWriteKey = `wk_0123456789abcdef_${'A'.repeat(43)}`;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const noAuth = {};

let t: TestServer;
let api: OpenApiChecker;
let partnerId: string;
let system: { id: string; writeKey: string; secretKey: string; writeKeyId: string; secretKeyId: string };
let other: { id: string; secretKey: string };

beforeAll(async () => {
  t = await startTestServer('postgres');
  const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as OpenApiDocument;
  api = new OpenApiChecker(document, t.url);
  partnerId = (await api.call('POST', '/api/partners', 201, { headers: admin, json: { name: `Acme ${Date.now()}`, email: 'ops@acme.example' } })).body.id;
  const added = await api.call('POST', '/api/partners/{id}/systems', 201, { params: { id: partnerId }, headers: admin, json: { name: 'web' } });
  system = { id: added.body.id, writeKey: added.body.writeKey, secretKey: added.body.secretKey, writeKeyId: added.body.writeKeyId, secretKeyId: added.body.secretKeyId };
  const second = await api.call('POST', '/api/partners/{id}/systems', 201, { params: { id: partnerId }, headers: admin, json: { name: 'app' } });
  other = { id: second.body.id, secretKey: second.body.secretKey };
});

afterAll(async () => {
  await t?.close();
});

describe('partners', () => {
  it('creates, lists, reads, changes and deactivates partners', async () => {
    await api.call('POST', '/api/partners', 400, { headers: admin, json: { name: '', email: 'nope' } });
    await api.call('POST', '/api/partners', 401, { headers: noAuth, json: { name: 'x', email: 'a@b.co' } });
    await api.call('POST', '/api/partners', 403, { headers: bearer(system.secretKey), json: { name: 'x', email: 'a@b.co' } });
    const partner = (await api.call('POST', '/api/partners', 201, { headers: admin, json: { name: `Beta ${Date.now()}`, email: 'b@beta.example', contactPerson: 'Ada' } })).body;
    await api.call('POST', '/api/partners', 409, { headers: admin, json: { name: partner.name, email: 'c@beta.example' } });
    await api.call('POST', '/api/partners', 415, { headers: { ...admin, 'content-type': 'text/plain' }, body: '{}' });
    await api.call('POST', '/api/partners', 413, { headers: admin, json: { name: 'x'.repeat(70_000), email: 'a@b.co' } });

    await api.call('GET', '/api/partners', 200, { headers: admin, query: 'limit=1' });
    await api.call('GET', '/api/partners', 400, { headers: admin, query: 'limit=0' });
    await api.call('GET', '/api/partners', 401, { headers: noAuth });

    await api.call('GET', '/api/partners/{id}', 200, { params: { id: partner.id }, headers: admin });
    await api.call('GET', '/api/partners/{id}', 404, { params: { id: missingUuid }, headers: admin });

    await api.call('PATCH', '/api/partners/{id}', 200, { params: { id: partner.id }, headers: admin, json: { contactPerson: null } });
    await api.call('PATCH', '/api/partners/{id}', 400, { params: { id: partner.id }, headers: admin, json: { email: 'not an email' } });
    await api.call('PATCH', '/api/partners/{id}', 404, { params: { id: missingUuid }, headers: admin, json: {} });

    await api.call('GET', '/api/partners/{id}/systems', 200, { params: { id: partnerId }, headers: admin });
    await api.call('GET', '/api/partners/{id}/systems', 404, { params: { id: missingUuid }, headers: admin });
    await api.call('POST', '/api/partners/{id}/systems', 400, { params: { id: partner.id }, headers: admin, json: { name: 'web', settings: { invalidEvents: 'maybe' } } });
    await api.call('POST', '/api/partners/{id}/systems', 404, { params: { id: missingUuid }, headers: admin, json: { name: 'web' } });
    await api.call('POST', '/api/partners/{id}/systems', 409, { params: { id: partnerId }, headers: admin, json: { name: 'WEB' } });

    await api.call('POST', '/api/partners/{id}/deactivate', 200, { params: { id: partner.id }, headers: admin });
    await api.call('POST', '/api/partners/{id}/deactivate', 404, { params: { id: missingUuid }, headers: admin });
    await api.call('PATCH', '/api/partners/{id}', 409, { params: { id: partner.id }, headers: admin, json: { name: 'Renamed' } });
  });
});

describe('systems and keys', () => {
  it('reads a system with the admin token or its own secret key only', async () => {
    await api.call('GET', '/api/systems/{id}', 200, { params: { id: system.id }, headers: admin });
    await api.call('GET', '/api/systems/{id}', 200, { params: { id: system.id }, headers: bearer(system.secretKey) });
    await api.call('GET', '/api/systems/{id}', 403, { params: { id: system.id }, headers: { authorization: basic(system.writeKey) } });
    await api.call('GET', '/api/systems/{id}', 404, { params: { id: system.id }, headers: bearer(other.secretKey) });
    await api.call('GET', '/api/systems/{id}', 401, { params: { id: system.id }, headers: bearer('wrong') });
  });

  it('changes settings and deactivates a system', async () => {
    await api.call('PATCH', '/api/systems/{id}/settings', 200, { params: { id: system.id }, headers: admin, json: { allowedOrigins: ['https://shop.example'] } });
    await api.call('PATCH', '/api/systems/{id}/settings', 200, { params: { id: system.id }, headers: admin, json: { allowedOrigins: null } });
    await api.call('PATCH', '/api/systems/{id}/settings', 400, { params: { id: system.id }, headers: admin, json: { allowedOrigins: ['not an origin'] } });
    await api.call('PATCH', '/api/systems/{id}/settings', 404, { params: { id: missingUuid }, headers: admin, json: {} });
    const doomed = (await api.call('POST', '/api/partners/{id}/systems', 201, { params: { id: partnerId }, headers: admin, json: { name: 'doomed' } })).body;
    await api.call('POST', '/api/systems/{id}/deactivate', 200, { params: { id: doomed.id }, headers: admin });
    await api.call('POST', '/api/systems/{id}/deactivate', 404, { params: { id: missingUuid }, headers: admin });
    await api.call('PATCH', '/api/systems/{id}/settings', 409, { params: { id: doomed.id }, headers: admin, json: { invalidEvents: 'reject' } });
    await api.call('POST', '/api/systems/{id}/keys', 409, { params: { id: doomed.id }, headers: admin, json: { kind: 'write' } });
  });

  it('issues, lists, rotates and revokes keys', async () => {
    const issued = (await api.call('POST', '/api/systems/{id}/keys', 201, { params: { id: system.id }, headers: admin, json: { kind: 'write' } })).body;
    await api.call('POST', '/api/systems/{id}/keys', 400, { params: { id: system.id }, headers: admin, json: { kind: 'admin' } });
    await api.call('POST', '/api/systems/{id}/keys', 404, { params: { id: missingUuid }, headers: admin, json: { kind: 'write' } });
    const rotated = (await api.call('POST', '/api/systems/{id}/keys/{keyId}/rotate', 201, { params: { id: system.id, keyId: issued.id }, headers: admin })).body;
    await api.call('POST', '/api/systems/{id}/keys/{keyId}/rotate', 404, { params: { id: system.id, keyId: '0000000000000000' }, headers: admin });
    await api.call('DELETE', '/api/systems/{id}/keys/{keyId}', 204, { params: { id: system.id, keyId: issued.id }, headers: admin });
    await api.call('DELETE', '/api/systems/{id}/keys/{keyId}', 404, { params: { id: system.id, keyId: '0000000000000000' }, headers: admin });
    await api.call('POST', '/api/systems/{id}/keys/{keyId}/rotate', 409, { params: { id: system.id, keyId: issued.id }, headers: admin });
    const listed = (await api.call('GET', '/api/systems/{id}/keys', 200, { params: { id: system.id }, headers: admin })).body;
    expect(listed.data.map((k: { id: string }) => k.id)).toContain(rotated.id);
    await api.call('GET', '/api/systems/{id}/keys', 403, { params: { id: system.id }, headers: bearer(system.secretKey) });
  });
});

describe('event structures', () => {
  it('defines, lists and reads structures', async () => {
    const path = { id: system.id, eventName: 'Order Completed' };
    const schema = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };
    await api.call('PUT', '/api/systems/{id}/event-structures/{eventName}', 201, { params: path, headers: admin, json: { schema } });
    await api.call('PUT', '/api/systems/{id}/event-structures/{eventName}', 200, { params: path, headers: admin, json: { schema } });
    await api.call('PUT', '/api/systems/{id}/event-structures/{eventName}', 400, { params: path, headers: admin, json: { schema: { type: 'nonsense' } } });
    await api.call('PUT', '/api/systems/{id}/event-structures/{eventName}', 404, { params: { ...path, id: missingUuid }, headers: admin, json: { schema } });
    await api.call('GET', '/api/systems/{id}/event-structures', 200, { params: { id: system.id }, headers: bearer(system.secretKey) });
    await api.call('GET', '/api/systems/{id}/event-structures', 404, { params: { id: missingUuid }, headers: admin });
    await api.call('GET', '/api/systems/{id}/event-structures/{eventName}', 200, { params: path, headers: admin });
    await api.call('GET', '/api/systems/{id}/event-structures/{eventName}', 404, { params: { ...path, eventName: 'Never Defined' }, headers: admin });
  });
});

describe('the Tracking API', () => {
  const messages: Record<string, Record<string, unknown>> = {
    track: { userId: 'ada', event: 'Order Completed', properties: { total: 30 } },
    identify: { userId: 'ada', traits: { plan: 'pro' } },
    page: { anonymousId: 'anon-1', name: 'Home' },
    screen: { userId: 'ada', name: 'Settings' },
    group: { userId: 'ada', groupId: 'acme' },
    alias: { userId: 'ada', previousId: 'anon-1' },
  };
  const letters: Record<string, string> = { track: 't', identify: 'i', page: 'p', screen: 's', group: 'g', alias: 'a' };
  const write = () => ({ authorization: basic(system.writeKey) });

  it('takes every message type on its Segment path and its analytics-next path', async () => {
    for (const [type, message] of Object.entries(messages)) {
      await api.call('POST', `/v1/${type}`, 200, { headers: write(), json: message });
      await api.call('POST', `/v1/${letters[type]}`, 200, { headers: write(), json: { ...message, type } });
    }
  });

  it('takes batches, naming refused items', async () => {
    const batch = [{ type: 'track', userId: 'bob', event: 'Signed Up' }, { type: 'identify', anonymousId: 'anon-2', traits: {} }];
    await api.call('POST', '/v1/batch', 200, { headers: write(), json: { batch } });
    await api.call('POST', '/v1/import', 200, { headers: write(), json: { batch, sentAt: new Date().toISOString() } });
    const partial = await api.call('POST', '/v1/b', 200, { headers: {}, json: { writeKey: system.writeKey, batch: [...batch, { type: 'track', userId: 'x' }] } });
    expect(partial.body.rejected).toHaveLength(1);
    await api.call('POST', '/v1/batch', 400, { headers: write(), json: { batch: 'nope' } });
  });

  it('refuses bad input, unknown keys, the admin token, other media types and big bodies', async () => {
    await api.call('POST', '/v1/track', 400, { headers: write(), json: { event: 'No Identity' } });
    await api.call('POST', '/v1/track', 400, { headers: write(), body: 'not json', });
    await api.call('POST', '/v1/track', 401, { headers: { authorization: basic(unknownWriteKey) }, json: messages.track });
    await api.call('POST', '/v1/track', 401, { headers: {}, json: messages.track });
    await api.call('POST', '/v1/track', 403, { headers: admin, json: messages.track });
    await api.call('POST', '/v1/track', 415, { headers: { ...write(), 'content-type': 'application/xml' }, body: '<track/>' });
    await api.call('POST', '/v1/batch', 413, { headers: write(), json: { batch: [{ ...messages.track, properties: { blob: 'x'.repeat(600_000) } }] } });
  });

  it('serves the settings analytics-next loads', async () => {
    const settings = await api.call('GET', '/v1/projects/{writeKey}/settings', 200, { params: { writeKey: system.writeKey } });
    expect(settings.body.integrations['Segment.io'].apiKey).toBe(system.writeKey);
    await api.call('GET', '/v1/projects/{writeKey}/settings', 404, { params: { writeKey: unknownWriteKey } });
  });
});

describe('events and analytics', () => {
  it('lists events', async () => {
    const page = await api.call('GET', '/api/systems/{id}/events', 200, { params: { id: system.id }, headers: bearer(system.secretKey), query: 'limit=5&type=track&valid=true' });
    expect(page.body.data.length).toBeGreaterThan(0);
    await api.call('GET', '/api/systems/{id}/events', 400, { params: { id: system.id }, headers: admin, query: 'limit=abc' });
    await api.call('GET', '/api/systems/{id}/events', 401, { params: { id: system.id }, headers: noAuth });
    await api.call('GET', '/api/systems/{id}/events', 404, { params: { id: missingUuid }, headers: admin });
  });

  it('answers analytics once the projector caught up', async () => {
    for (let i = 0; ; i++) {
      const status = await api.call('GET', '/api/projection', 200, { headers: admin });
      if (status.body.behindEvents === 0 && status.body.projectedEvents > 0) break;
      if (i > 100) throw new Error('the projector did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await api.call('GET', '/api/projection', 403, { headers: bearer(system.secretKey) });
    const id = { id: system.id };
    const reader = bearer(system.secretKey);
    await api.call('GET', '/api/systems/{id}/stats/timeseries', 200, { params: id, headers: reader, query: 'interval=hour' });
    await api.call('GET', '/api/systems/{id}/stats/timeseries', 400, { params: id, headers: reader, query: 'interval=week' });
    await api.call('GET', '/api/systems/{id}/stats/timeseries', 404, { params: { id: missingUuid }, headers: admin });
    await api.call('GET', '/api/systems/{id}/stats/timeseries', 401, { params: id, headers: noAuth });
    await api.call('GET', '/api/systems/{id}/stats/top-events', 200, { params: id, headers: reader, query: 'limit=5' });
    await api.call('GET', '/api/systems/{id}/stats/top-events', 400, { params: id, headers: reader, query: 'limit=101' });
    await api.call('GET', '/api/systems/{id}/stats/breakdown', 200, { params: id, headers: reader, query: 'event=Order%20Completed&property=total' });
    await api.call('GET', '/api/systems/{id}/stats/breakdown', 400, { params: id, headers: reader, query: 'property=total' });
    await api.call('GET', '/api/systems/{id}/funnels', 200, { params: id, headers: reader, query: 'steps=Signed%20Up,Order%20Completed&within=P7D' });
    await api.call('GET', '/api/systems/{id}/funnels', 400, { params: id, headers: reader, query: 'steps=Only%20One' });
    const profile = await api.call('GET', '/api/systems/{id}/users/{userId}', 200, { params: { ...id, userId: 'ada' }, headers: reader, query: 'limit=10' });
    expect(profile.body.timeline.length).toBeGreaterThan(0);
    await api.call('GET', '/api/systems/{id}/users/{userId}', 404, { params: { ...id, userId: 'nobody' }, headers: reader });
    await api.call('GET', '/api/systems/{id}/users/{userId}', 400, { params: { ...id, userId: 'ada' }, headers: reader, query: 'limit=0' });
  });
});

describe('operations', () => {
  it('serves probes, metrics and the documentation', async () => {
    await api.call('GET', '/health/live', 200);
    await api.call('GET', '/health/ready', 200);
    const metrics = await api.call('GET', '/metrics', 200);
    expect(metrics.body).toContain('volcanion_http_request_duration_seconds');
    await api.call('GET', '/openapi.json', 200);
    const page = await api.call('GET', '/docs', 200);
    expect(page.body).toContain('<!doctype html>');
  });
});

describe('security', () => {
  // Derived from the document, not a list: what each operation declares is what the server enforces.
  const params = () => ({ id: system.id, keyId: system.writeKeyId, eventName: 'Order Completed', userId: 'ada', writeKey: system.writeKey });
  const operations = () =>
    Object.entries(api.document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  // An empty object: every route checks credentials before the body's fields.
  const hasBody = (method: string) => method !== 'GET' && method !== 'DELETE';

  it('answers 401 without credentials on every operation that declares security', async () => {
    const secured = operations().filter(({ op }) => op.security.length > 0);
    expect(secured.length).toBeGreaterThan(30);
    for (const { path, method } of secured) {
      await api.call(method, path, 401, { params: params(), headers: noAuth, ...(hasBody(method) ? { json: {} } : {}) });
    }
  });

  it("answers 403 to a key of a kind the operation does not declare", async () => {
    for (const { path, method, op } of operations()) {
      const schemes = op.security.map((requirement) => Object.keys(requirement)[0]);
      if (schemes.length === 0 || schemes.includes('writeKey')) continue;
      // Admin-only operations refuse the secret key; the secret key's reads refuse the write key.
      const key = schemes.includes('secretKey') ? { authorization: basic(system.writeKey) } : bearer(system.secretKey);
      await api.call(method, path, 403, { params: params(), headers: key, ...(hasBody(method) ? { json: {} } : {}) });
    }
  });
});

describe('coverage', () => {
  it('exercised every documented operation with a success', () => {
    const missing = api.operations().filter((op) => ![...(api.seen.get(op) ?? [])].some((status) => status < 300));
    expect(missing).toEqual([]);
  });
});
