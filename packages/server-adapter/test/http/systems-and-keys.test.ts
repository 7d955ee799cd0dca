import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';
import { expectFields, expectJson, expectProblem, expectUnauthorized, ingest, missingUuid, newPartner } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const addSystem = (partnerId: string, json: unknown) => t.api(`/api/partners/${partnerId}/systems`, { method: 'POST', json });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const track = (key: string) => ingest(t, '/v1/track', key, { userId: 'u1', event: 'Ping' });

describe('POST /api/partners/:id/systems', () => {
  it('adds a system with its first write and secret keys, shown once', async () => {
    const partnerId = await newPartner(t);
    const res = await addSystem(partnerId, { name: 'Web Shop', description: 'the shop', settings: { invalidEvents: 'reject' } });
    const system = await expectJson(res, 201);
    expect(system).toMatchObject({ partnerId, name: 'Web Shop', description: 'the shop', active: true });
    expect(system.settings).toEqual({ invalidEvents: 'reject', unplannedEvents: 'allow', allowedOrigins: null, rateLimits: { ingest: null, api: null } });
    expect(system.writeKey).toMatch(new RegExp(`^wk_${system.writeKeyId}_[A-Za-z0-9_-]{43}$`));
    expect(system.secretKey).toMatch(new RegExp(`^sk_${system.secretKeyId}_[A-Za-z0-9_-]{43}$`));
    expect(res.headers.get('location')).toBe(`/api/systems/${system.id}`);

    const listed = await expectJson(await t.api(`/api/partners/${partnerId}/systems`), 200);
    expect(listed.data.map((s: { id: string }) => s.id)).toEqual([system.id]);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(system.writeKey);
    expect(text).not.toContain(system.secretKey);
  });

  it.each([
    [{}, 'name'],
    [{ name: '  ' }, 'name'],
    [{ name: 7 }, 'name'],
    [{ name: 'app', description: 'x'.repeat(2001) }, 'description'],
    [{ name: 'app', settings: { invalidEvents: 'drop' } }, 'settings.invalidEvents'],
    [{ name: 'app', settings: { allowedOrigins: ['not an origin'] } }, 'settings.allowedOrigins.0'],
    [{ name: 'app', colour: 'red' }, 'colour'],
  ])('answers 400 for %j naming the field', async (json, field) => {
    await expectFields(await addSystem(await newPartner(t), json), [field]);
  });

  it('refuses a duplicate name within the partner (case-insensitive) with 409; another partner may use it', async () => {
    const { partnerId } = await t.newSystem();
    await expectFields(await addSystem(partnerId, { name: 'WEB' }), ['name'], 409);
    await expectJson(await addSystem(await newPartner(t), { name: 'web' }), 201);
  });

  it('refuses a system past the limit of 3 active ones with 409, and allows one after a deactivation', async () => {
    const { partnerId, systemId } = await t.newSystem();
    await expectJson(await addSystem(partnerId, { name: 'app' }), 201);
    await expectJson(await addSystem(partnerId, { name: 'backend' }), 201);
    await expectProblem(await addSystem(partnerId, { name: 'fourth' }), 409, 'limit_reached');
    expect((await expectJson(await t.api(`/api/partners/${partnerId}/systems`), 200)).data).toHaveLength(3);
    await expectJson(await t.api(`/api/systems/${systemId}/deactivate`, { method: 'POST' }), 200);
    await expectJson(await addSystem(partnerId, { name: 'fourth' }), 201);
  });

  it('answers 404 for an unknown or non-UUID partner, on POST and GET', async () => {
    for (const id of [missingUuid, 'acme']) {
      await expectProblem(await addSystem(id, { name: 'web' }), 404, 'not_found');
      await expectProblem(await t.api(`/api/partners/${id}/systems`), 404, 'not_found');
    }
  });

  it('needs the admin token', async () => {
    const { partnerId, secretKey } = await t.newSystem();
    const sent = t.api(`/api/partners/${partnerId}/systems`, { method: 'POST', json: { name: 'x' }, headers: bearer(secretKey) });
    await expectProblem(await sent, 403, 'forbidden');
    await expectUnauthorized(await t.api(`/api/partners/${partnerId}/systems`, { headers: { authorization: 'Bearer wrong' } }));
  });
});

describe('GET /api/systems/:id', () => {
  it('answers the admin and the own secret key; a write key is 403, another system’s key 404', async () => {
    const mine = await t.newSystem();
    const other = await t.newSystem();
    const byAdmin = await expectJson(await t.api(`/api/systems/${mine.systemId}`), 200);
    expect(byAdmin).toMatchObject({ id: mine.systemId, partnerId: mine.partnerId, name: 'web', active: true });
    expect(byAdmin).not.toHaveProperty('writeKey');
    expect(await expectJson(await t.api(`/api/systems/${mine.systemId}`, { headers: bearer(mine.secretKey) }), 200)).toEqual(byAdmin);
    await expectProblem(await t.api(`/api/systems/${mine.systemId}`, { headers: { authorization: basic(mine.writeKey) } }), 403);
    await expectProblem(await t.api(`/api/systems/${mine.systemId}`, { headers: bearer(other.secretKey) }), 404);
    await expectProblem(await t.api(`/api/systems/${mine.systemId}`, { headers: bearer(other.writeKey) }), 404);
    await expectUnauthorized(await t.api(`/api/systems/${mine.systemId}`, { headers: { authorization: '' } }));
  });

  it('answers 404 for unknown and non-UUID ids', async () => {
    await expectProblem(await t.api(`/api/systems/${missingUuid}`), 404);
    await expectProblem(await t.api('/api/systems/web'), 404);
  });
});

describe('PATCH /api/systems/:id/settings', () => {
  const patch = (id: string, json: unknown, headers?: Record<string, string>) =>
    t.api(`/api/systems/${id}/settings`, { method: 'PATCH', json, headers });

  it('merges the given settings into the current ones', async () => {
    const { systemId } = await t.newSystem();
    const updated = await expectJson(await patch(systemId, { unplannedEvents: 'flag', allowedOrigins: ['https://shop.example'] }), 200);
    const defaults = { rateLimits: { ingest: null, api: null } };
    expect(updated.settings).toEqual({ invalidEvents: 'flag', unplannedEvents: 'flag', allowedOrigins: ['https://shop.example'], ...defaults });
    const again = await expectJson(await patch(systemId, { invalidEvents: 'reject' }), 200);
    expect(again.settings).toEqual({ invalidEvents: 'reject', unplannedEvents: 'flag', allowedOrigins: ['https://shop.example'], ...defaults });
  });

  it.each([
    [{ invalidEvents: 'drop' }, 'invalidEvents'],
    [{ unplannedEvents: true }, 'unplannedEvents'],
    [{ allowedOrigins: ['https://ok.example', 'ftp//nope'] }, 'allowedOrigins.1'],
    [{ allowedOrigins: 'https://ok.example' }, 'allowedOrigins'],
    [{ retention: 30 }, 'retention'],
  ])('answers 400 for %j naming the field', async (json, field) => {
    await expectFields(await patch((await t.newSystem()).systemId, json), [field]);
  });

  it('answers 404 for unknown/non-UUID ids, 403 for its secret key, 400 for invalid JSON', async () => {
    await expectProblem(await patch(missingUuid, {}), 404);
    await expectProblem(await patch('x', {}), 404);
    const { systemId, secretKey } = await t.newSystem();
    await expectProblem(await patch(systemId, { invalidEvents: 'reject' }, bearer(secretKey)), 403);
    const raw = await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', body: '{', headers: { 'content-type': 'application/json' } });
    await expectProblem(raw, 400, 'invalid_input');
    expect((await expectJson(await t.api(`/api/systems/${systemId}`), 200)).settings.invalidEvents).toBe('flag');
  });
});

describe('POST /api/systems/:id/deactivate', () => {
  it('deactivates idempotently: its keys answer 401, it takes no changes, the admin still reads it', async () => {
    const { systemId, writeKey, secretKey } = await t.newSystem();
    const off = await expectJson(await t.api(`/api/systems/${systemId}/deactivate`, { method: 'POST' }), 200);
    expect(off).toMatchObject({ id: systemId, active: false });
    await expectJson(await t.api(`/api/systems/${systemId}/deactivate`, { method: 'POST' }), 200);
    await expectUnauthorized(await track(writeKey));
    await expectUnauthorized(await track(secretKey));
    await expectUnauthorized(await t.api(`/api/systems/${systemId}/events`, { headers: bearer(secretKey) }));
    expect((await expectJson(await t.api(`/api/systems/${systemId}`), 200)).active).toBe(false);
    await expectProblem(await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { invalidEvents: 'reject' } }), 409, 'inactive');
    await expectProblem(await t.api(`/api/systems/${systemId}/keys`, { method: 'POST', json: { kind: 'write' } }), 409, 'inactive');
  });

  it('answers 404 for unknown/non-UUID ids and 403 for an API key', async () => {
    await expectProblem(await t.api(`/api/systems/${missingUuid}/deactivate`, { method: 'POST' }), 404);
    await expectProblem(await t.api('/api/systems/0/deactivate', { method: 'POST' }), 404);
    const { systemId, secretKey } = await t.newSystem();
    await expectProblem(await t.api(`/api/systems/${systemId}/deactivate`, { method: 'POST', headers: bearer(secretKey) }), 403);
    await expectJson(await track(secretKey), 200);
  });
});

describe('API keys', () => {
  it('lists a system’s keys without any secret or hash', async () => {
    const s = await t.newSystem();
    const listed = await expectJson(await t.api(`/api/systems/${s.systemId}/keys`), 200);
    expect(listed.data.map((k: { id: string; kind: string }) => [k.id, k.kind])).toEqual(
      expect.arrayContaining([[s.writeKeyId, 'write']]),
    );
    expect(listed.data.map((k: { kind: string }) => k.kind).sort()).toEqual(['secret', 'write']);
    for (const key of listed.data) expect(Object.keys(key).sort()).toEqual(['createdAt', 'id', 'kind', 'replacesKeyId', 'revokedAt']);
    expect(JSON.stringify(listed)).not.toContain(s.writeKey.slice(20));
    expect(JSON.stringify(listed)).not.toContain(s.secretKey.slice(20));
  });

  it('issues more keys: a write key ingests, a secret key reads; a bad kind is 400 naming kind', async () => {
    const s = await t.newSystem();
    const write = await expectJson(await t.api(`/api/systems/${s.systemId}/keys`, { method: 'POST', json: { kind: 'write' } }), 201);
    expect(write.key).toMatch(/^wk_/);
    await expectJson(await track(write.key), 200);
    const secret = await expectJson(await t.api(`/api/systems/${s.systemId}/keys`, { method: 'POST', json: { kind: 'secret' } }), 201);
    await expectJson(await t.api(`/api/systems/${s.systemId}`, { headers: bearer(secret.key) }), 200);
    for (const json of [{}, { kind: 'admin' }, { kind: 1 }]) {
      await expectFields(await t.api(`/api/systems/${s.systemId}/keys`, { method: 'POST', json }), ['kind']);
    }
    await expectProblem(await t.api(`/api/systems/${s.systemId}/keys`, { method: 'POST', json: { kind: 'write' }, headers: bearer(s.secretKey) }), 403);
  });

  it('rotates a key: both work until the old one is revoked, then the old one is 401', async () => {
    const s = await t.newSystem();
    const rotated = await expectJson(await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}/rotate`, { method: 'POST' }), 201);
    expect(rotated).toMatchObject({ kind: 'write', replacesKeyId: s.writeKeyId });
    await expectJson(await track(s.writeKey), 200);
    await expectJson(await track(rotated.key), 200);

    const revoked = await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    await expectUnauthorized(await track(s.writeKey));
    await expectJson(await track(rotated.key), 200);
    expect((await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}`, { method: 'DELETE' })).status).toBe(204);
    const keys = await expectJson(await t.api(`/api/systems/${s.systemId}/keys`), 200);
    expect(keys.data.find((k: { id: string }) => k.id === s.writeKeyId).revokedAt).toEqual(expect.any(String));
    await expectProblem(await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}/rotate`, { method: 'POST' }), 409, 'inactive');
  });

  it('a revoked secret key can no longer read', async () => {
    const s = await t.newSystem();
    const keys = await expectJson(await t.api(`/api/systems/${s.systemId}/keys`), 200);
    const secretId = keys.data.find((k: { kind: string }) => k.kind === 'secret').id;
    expect((await t.api(`/api/systems/${s.systemId}/keys/${secretId}`, { method: 'DELETE' })).status).toBe(204);
    await expectUnauthorized(await t.api(`/api/systems/${s.systemId}/events`, { headers: bearer(s.secretKey) }));
  });

  it('answers 404 for an unknown key and for another system’s key, which keeps working', async () => {
    const a = await t.newSystem();
    const b = await t.newSystem();
    await expectProblem(await t.api(`/api/systems/${a.systemId}/keys/0123456789abcdef/rotate`, { method: 'POST' }), 404);
    await expectProblem(await t.api(`/api/systems/${a.systemId}/keys/${b.writeKeyId}/rotate`, { method: 'POST' }), 404);
    await expectProblem(await t.api(`/api/systems/${a.systemId}/keys/${b.writeKeyId}`, { method: 'DELETE' }), 404);
    await expectJson(await track(b.writeKey), 200);
  });

  it('answers 404 for unknown and non-UUID systems, and 403 for keys on every key route', async () => {
    for (const id of [missingUuid, 'nope']) {
      await expectProblem(await t.api(`/api/systems/${id}/keys`), 404);
      await expectProblem(await t.api(`/api/systems/${id}/keys`, { method: 'POST', json: { kind: 'write' } }), 404);
      await expectProblem(await t.api(`/api/systems/${id}/keys/0123456789abcdef/rotate`, { method: 'POST' }), 404);
      await expectProblem(await t.api(`/api/systems/${id}/keys/0123456789abcdef`, { method: 'DELETE' }), 404);
    }
    const s = await t.newSystem();
    await expectProblem(await t.api(`/api/systems/${s.systemId}/keys`, { headers: bearer(s.secretKey) }), 403);
    await expectProblem(await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}/rotate`, { method: 'POST', headers: bearer(s.secretKey) }), 403);
    await expectProblem(await t.api(`/api/systems/${s.systemId}/keys/${s.writeKeyId}`, { method: 'DELETE', headers: bearer(s.secretKey) }), 403);
    await expectJson(await track(s.writeKey), 200);
  });
});
