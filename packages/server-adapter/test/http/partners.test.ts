import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';
import { expectFields, expectJson, expectProblem, expectUnauthorized, ingest, missingUuid, newPartner, unique } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const createPartner = (json: unknown, headers?: Record<string, string>) => t.api('/api/partners', { method: 'POST', json, headers });

describe('POST /api/partners', () => {
  it('creates a partner (201, Location) that GET then returns', async () => {
    const name = unique('Acme');
    const res = await createPartner({ name: `  ${name} `, email: ' ops@acme.test ', contactPerson: 'Ada' });
    const created = await expectJson(res, 201);
    expect(created).toMatchObject({ name, email: 'ops@acme.test', contactPerson: 'Ada', active: true });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/api/partners/${created.id}`);
    expect(await expectJson(await t.api(`/api/partners/${created.id}`), 200)).toEqual(created);
  });

  it('defaults contactPerson to null', async () => {
    expect((await expectJson(await createPartner({ name: unique('NoContact'), email: 'a@b.co' }), 201)).contactPerson).toBeNull();
  });

  it.each([
    ['a missing name', { email: 'ops@acme.test' }, 'name'],
    ['a blank name', { name: '   ', email: 'ops@acme.test' }, 'name'],
    ['a numeric name', { name: 42, email: 'ops@acme.test' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201), email: 'ops@acme.test' }, 'name'],
    ['a missing email', { name: 'Acme' }, 'email'],
    ['a malformed email', { name: 'Acme', email: 'not-an-email' }, 'email'],
    ['a contactPerson over 200 characters', { name: 'Acme', email: 'a@b.co', contactPerson: 'x'.repeat(201) }, 'contactPerson'],
    ['an unknown field', { name: 'Acme', email: 'a@b.co', plan: 'gold' }, 'plan'],
  ])('answers 400 naming the field for %s', async (_label, json, field) => {
    await expectFields(await createPartner(json), [field]);
  });

  it('names every offending field at once', async () => {
    await expectFields(await createPartner({ name: '', email: 'nope' }), ['name', 'email']);
  });

  it.each([['an array', []], ['a string', 'Acme'], ['null', null]])('answers 400 for %s as body', async (_label, json) => {
    await expectProblem(await createPartner(json), 400, 'invalid_input');
  });

  it('refuses a duplicate name, case-insensitively, with 409 naming the field', async () => {
    const name = unique('Dup');
    await expectJson(await createPartner({ name, email: 'a@b.co' }), 201);
    await expectFields(await createPartner({ name: name.toUpperCase(), email: 'c@d.co' }), ['name'], 409);
  });

  it('needs the admin token: none or a wrong one is 401, an API key is 403', async () => {
    const json = { name: unique('Auth'), email: 'a@b.co' };
    await expectUnauthorized(await t.api('/api/partners', { method: 'POST', json, headers: { authorization: '' } }));
    await expectUnauthorized(await createPartner(json, { authorization: 'Bearer not-the-token' }));
    const { writeKey, secretKey } = await t.newSystem();
    await expectProblem(await createPartner(json, { authorization: `Bearer ${secretKey}` }), 403, 'forbidden');
    await expectProblem(await createPartner(json, { authorization: basic(writeKey) }), 403, 'forbidden');
    const list = await expectJson(await t.api('/api/partners?limit=500'), 200);
    expect(list.data.map((p: { name: string }) => p.name)).not.toContain(json.name);
  });
});

describe('GET /api/partners', () => {
  it('pages through every partner exactly once', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await newPartner(t));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = await expectJson(
        await t.api(`/api/partners?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it.each(['0', '501', 'abc', '1.5', '-1'])('answers 400 naming limit for limit=%s', async (limit) => {
    await expectFields(await t.api(`/api/partners?limit=${limit}`), ['limit']);
  });

  it.each(['!!!', Buffer.from('not-a-uuid').toString('base64url'), 'x'.repeat(201)])('answers 400 naming cursor for cursor=%s', async (cursor) => {
    await expectFields(await t.api(`/api/partners?cursor=${encodeURIComponent(cursor)}`), ['cursor']);
  });

  it('needs the admin token', async () => {
    await expectUnauthorized(await t.api('/api/partners', { headers: { authorization: '' } }));
    const { secretKey } = await t.newSystem();
    await expectProblem(await t.api('/api/partners', { headers: { authorization: `Bearer ${secretKey}` } }), 403);
  });
});

describe('GET /api/partners/:id', () => {
  it('answers 404 for an unknown id and for a non-UUID id', async () => {
    await expectProblem(await t.api(`/api/partners/${missingUuid}`), 404, 'not_found');
    await expectProblem(await t.api('/api/partners/not-a-uuid'), 404, 'not_found');
  });

  it("refuses a system's secret key with 403", async () => {
    const { partnerId, secretKey } = await t.newSystem();
    await expectProblem(await t.api(`/api/partners/${partnerId}`, { headers: { authorization: `Bearer ${secretKey}` } }), 403);
  });
});

describe('PATCH /api/partners/:id', () => {
  const patch = (id: string, json: unknown) => t.api(`/api/partners/${id}`, { method: 'PATCH', json });

  it('changes only the given fields, and clears contactPerson with null', async () => {
    const id = (await expectJson(await createPartner({ name: unique('Patch'), email: 'a@b.co', contactPerson: 'Ada' }), 201)).id;
    const before = await expectJson(await t.api(`/api/partners/${id}`), 200);
    const updated = await expectJson(await patch(id, { email: 'billing@b.co' }), 200);
    expect(updated).toMatchObject({ id, name: before.name, email: 'billing@b.co', contactPerson: 'Ada', createdAt: before.createdAt });
    expect((await expectJson(await patch(id, { contactPerson: null }), 200)).contactPerson).toBeNull();
    expect((await expectJson(await t.api(`/api/partners/${id}`), 200)).email).toBe('billing@b.co');
  });

  it.each([
    [{ name: '  ' }, 'name'],
    [{ email: 'nope' }, 'email'],
    [{ active: false }, 'active'],
  ])('answers 400 for %j naming the field', async (json, field) => {
    await expectFields(await patch(await newPartner(t), json), [field]);
  });

  it("refuses another partner's name with 409 naming the field", async () => {
    const taken = unique('Taken');
    await newPartner(t, taken);
    await expectFields(await patch(await newPartner(t), { name: taken.toLowerCase() }), ['name'], 409);
  });

  it('answers 404 for unknown and non-UUID ids, 400 for invalid JSON, 415 for text/plain', async () => {
    await expectProblem(await patch(missingUuid, { name: 'x' }), 404);
    await expectProblem(await patch('nope', { name: 'x' }), 404);
    const id = await newPartner(t);
    const raw = (body: string, type: string) =>
      t.api(`/api/partners/${id}`, { method: 'PATCH', body, headers: { 'content-type': type } });
    await expectProblem(await raw('{"name":', 'application/json'), 400, 'invalid_input');
    await expectProblem(await raw('{"name":"x"}', 'text/plain'), 415, 'unsupported_media_type');
  });
});

describe('POST /api/partners/:id/deactivate', () => {
  it('deactivates (idempotently); its keys stop working and it takes no changes', async () => {
    const { partnerId, systemId, writeKey, secretKey } = await t.newSystem();
    await expectJson(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'Before' }), 200);

    const off = await expectJson(await t.api(`/api/partners/${partnerId}/deactivate`, { method: 'POST' }), 200);
    expect(off).toMatchObject({ id: partnerId, active: false });
    expect((await expectJson(await t.api(`/api/partners/${partnerId}/deactivate`, { method: 'POST' }), 200)).active).toBe(false);

    await expectUnauthorized(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'After' }));
    await expectUnauthorized(await t.api(`/api/systems/${systemId}`, { headers: { authorization: `Bearer ${secretKey}` } }));
    await expectProblem(await t.api(`/api/partners/${partnerId}`, { method: 'PATCH', json: { name: unique('Again') } }), 409, 'inactive');
    await expectProblem(await t.api(`/api/partners/${partnerId}/systems`, { method: 'POST', json: { name: 'app' } }), 409, 'inactive');
    // The data stays readable by the admin.
    const events = await expectJson(await t.api(`/api/systems/${systemId}/events`), 200);
    expect(events.data.map((e: { event: string }) => e.event)).toEqual(['Before']);
  });

  it('answers 404 for unknown and non-UUID ids, and 403 for an API key', async () => {
    await expectProblem(await t.api(`/api/partners/${missingUuid}/deactivate`, { method: 'POST' }), 404);
    await expectProblem(await t.api('/api/partners/123/deactivate', { method: 'POST' }), 404);
    const { partnerId, secretKey } = await t.newSystem();
    await expectProblem(
      await t.api(`/api/partners/${partnerId}/deactivate`, { method: 'POST', headers: { authorization: `Bearer ${secretKey}` } }),
      403,
    );
    expect((await expectJson(await t.api(`/api/partners/${partnerId}`), 200)).active).toBe(true);
  });
});
