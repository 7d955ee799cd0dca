import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { createHandler } from '../../src';
import { valueOf } from '../../src/routes/route-helpers';
import { startServer, type ServerOptions } from '../../src/server/start-server';
import { allEvents, expectJson, expectProblem, ingest } from '../http/helpers';
import { ADMIN_TOKEN, basic, type TestServer } from '../support/test-server';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** A real server on 127.0.0.1 over a fresh PostgreSQL database, with these rate limit settings. */
async function serve(settings: ServerOptions): Promise<TestServer> {
  const database = await createFreshDatabase();
  const storage = createPostgresStorage({ connectionString: database.url });
  await storage.migrate();
  const running = await startServer({ storage, port: 0, adminToken: ADMIN_TOKEN, ...settings });
  closers.push(async () => {
    await running.close();
    await database.drop();
  });
  let counter = 0;
  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${ADMIN_TOKEN}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${running.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  };
  return {
    url: running.url,
    running,
    api,
    async newSystem(systemSettings) {
      const partner = await expectJson(await api('/api/partners', { method: 'POST', json: { name: `P ${counter++}`, email: 'o@e.co' } }), 201);
      const system = await expectJson(
        await api(`/api/partners/${partner.id}/systems`, { method: 'POST', json: { name: 'web', ...(systemSettings ? { settings: systemSettings } : {}) } }),
        201,
      );
      return { partnerId: partner.id, systemId: system.id, writeKey: system.writeKey, secretKey: system.secretKey, writeKeyId: system.writeKeyId };
    },
    close: running.close,
  };
}

const track = (n: number, tag: string) => ({ batch: Array.from({ length: n }, (_, i) => ({ type: 'track', userId: 'u', event: tag, messageId: `${tag}-${i}` })) });

function limitHeaders(response: Response) {
  return {
    limit: response.headers.get('ratelimit-limit'),
    remaining: response.headers.get('ratelimit-remaining'),
    reset: response.headers.get('ratelimit-reset'),
  };
}

describe('ingestion, per write key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await serve({ ingestRateLimit: '0.5:5' });
  });

  it('charges one token per event, reports the bucket on every answer, and refuses a batch it cannot cover whole', async () => {
    const { writeKey, systemId } = await t.newSystem();
    const first = await ingest(t, '/v1/batch', writeKey, track(3, 'first'));
    await expectJson(first, 200);
    expect(limitHeaders(first)).toEqual({ limit: '5', remaining: '2', reset: '6' });
    expect(first.headers.get('access-control-expose-headers')).toContain('retry-after');

    const refused = await ingest(t, '/v1/batch', writeKey, track(3, 'refused'));
    const problem = await expectProblem(refused, 429, 'rate_limited');
    expect(problem).toMatchObject({ title: 'Too Many Requests', limit: 'ingest', retryAfter: 2 });
    expect(problem.detail).toMatch(/ingestion limit of write key .* \(0\.5 events per second, bursts of 5\)/);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(limitHeaders(refused)).toMatchObject({ limit: '5', remaining: '2' });
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');

    // Nothing of the refused batch was stored, not even the part that would have fitted.
    const stored = await allEvents(t, systemId);
    expect(stored.map((e) => e.event)).toEqual(['first', 'first', 'first']);
  });

  it('admits a batch larger than the burst from a full bucket, then makes the key wait it off', async () => {
    const { writeKey } = await t.newSystem();
    await expectJson(await ingest(t, '/v1/batch', writeKey, track(8, 'big')), 200);
    const refused = await ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'after' });
    await expectProblem(refused, 429, 'rate_limited');
    // 3 tokens of debt plus the one needed, at 0.5 per second.
    expect(refused.headers.get('retry-after')).toBe('8');
  });

  it('charges a secret key that ingests by its events too, so batching cannot get around the limit', async () => {
    const { secretKey, systemId } = await t.newSystem();
    await expectJson(await ingest(t, '/v1/batch', secretKey, track(5, 'secret')), 200);
    const refused = await ingest(t, '/v1/batch', secretKey, track(5, 'more'));
    const problem = await expectProblem(refused, 429, 'rate_limited');
    expect(problem.detail).toMatch(/ingestion limit of secret key/);
    // Its API budget is a separate bucket: reading still works.
    expect((await t.api(`/api/systems/${systemId}`, { headers: { authorization: `Bearer ${secretKey}` } })).status).toBe(200);
  });

  it('keeps write keys apart, and charges the key sent in the body like one in the header', async () => {
    const a = await t.newSystem();
    const b = await t.newSystem();
    await expectJson(await ingest(t, '/v1/batch', a.writeKey, track(5, 'a')), 200);
    await expectProblem(await ingest(t, '/v1/track', a.writeKey, { userId: 'u', event: 'a' }), 429, 'rate_limited');
    const inBody = await fetch(`${t.url}/v1/track`, { method: 'POST', body: JSON.stringify({ writeKey: b.writeKey, userId: 'u', event: 'b' }) });
    await expectJson(inBody, 200);
    expect(limitHeaders(inBody).remaining).toBe('4');
  });

  it('applies a system\'s own limit set through the management API at once, and its reset', async () => {
    const { writeKey, systemId } = await t.newSystem();
    const patched = await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { rateLimits: { ingest: { perSecond: 1000, burst: 20 } } } });
    expect((await expectJson(patched, 200)).settings.rateLimits).toEqual({ ingest: { perSecond: 1000, burst: 20 }, api: null });
    const own = await ingest(t, '/v1/batch', writeKey, track(10, 'own'));
    await expectJson(own, 200);
    expect(limitHeaders(own).limit).toBe('20');

    await expectJson(await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { rateLimits: { ingest: { perSecond: 0.5, burst: 2 } } } }), 200);
    // The full bucket of 20 is capped at the new burst of 2.
    for (let i = 0; i < 2; i++) await expectJson(await ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'x' }), 200);
    await expectProblem(await ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'x' }), 429, 'rate_limited');

    await expectJson(await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { rateLimits: null } }), 200);
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the server default refills a token in 2 s
    const back = await ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'x' });
    await expectJson(back, 200);
    expect(limitHeaders(back).limit).toBe('5');
  });

  it('refuses invalid per-system limits with a 400 naming the field', async () => {
    const { systemId } = await t.newSystem();
    const response = await t.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { rateLimits: { api: { perSecond: -1, burst: 10 } } } });
    const problem = await expectProblem(response, 400, 'invalid_input');
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['rateLimits.api.perSecond']);
  });
});

describe('API, admin token and unauthenticated requests', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await serve({ apiRateLimit: '0.5:6', unauthenticatedRateLimit: { perSecond: 0.5, burst: 3 }, metrics: 'public' });
  });

  it('limits a secret key by its system\'s own api limit, apart from the admin token', async () => {
    const { systemId, secretKey } = await t.newSystem({ rateLimits: { api: { perSecond: 0.5, burst: 2 } } });
    const read = () => fetch(`${t.url}/api/systems/${systemId}/events`, { headers: { authorization: `Bearer ${secretKey}` } });
    const first = await read();
    await expectJson(first, 200);
    expect(limitHeaders(first)).toEqual({ limit: '2', remaining: '1', reset: '2' });
    await expectJson(await read(), 200);
    const refused = await read();
    const problem = await expectProblem(refused, 429, 'rate_limited');
    expect(problem.limit).toBe('api');
    expect(problem.detail).toContain('API limit of secret key');
    expect(refused.headers.get('retry-after')).toBe('2');
    // The admin token has a bucket of its own.
    await expectJson(await t.api(`/api/systems/${systemId}/events`), 200);
  });

  it('limits the admin token by the server\'s api limit', async () => {
    let status = 200;
    for (let i = 0; i < 10 && status === 200; i++) status = (await t.api('/api/partners')).status;
    expect(status).toBe(429);
  });

  it('limits requests without valid credentials by client address, and leaves keyed callers alone', async () => {
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await fetch(`${t.url}/api/partners`)).status);
    statuses.push((await fetch(`${t.url}/v1/track`, { method: 'POST', headers: { authorization: basic('vt_write_nope') }, body: '{}' })).status);
    const refused = await fetch(`${t.url}/api/partners`, { headers: { authorization: 'Bearer wrong-token' } });
    expect(statuses).toEqual([401, 401, 401]);
    const problem = await expectProblem(refused, 429, 'rate_limited');
    expect(problem).toMatchObject({ limit: 'unauthenticated' });
    expect(problem.detail).toContain('127.0.0.1');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Junk sent to ingestion without a key counts against the address too.
    await expectProblem(await fetch(`${t.url}/v1/batch`, { method: 'POST', body: 'not json' }), 429, 'rate_limited');
  });

  it('never limits health checks, metrics or paths that are not ours', async () => {
    for (let i = 0; i < 8; i++) {
      for (const path of ['/health/live', '/health/ready', '/metrics']) {
        const response = await fetch(`${t.url}${path}`);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('ratelimit-limit'), path).toBeNull();
        await response.arrayBuffer();
      }
    }
    const unmatched = await fetch(`${t.url}/nothing-here`);
    expect(unmatched.status).toBe(404);
    expect(unmatched.headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('an admin-protected /metrics', () => {
  it('serves scrapes with the token unlimited, and limits guessing the token by address', async () => {
    const t = await serve({ unauthenticatedRateLimit: '0.5:3', metrics: 'admin' });
    for (let i = 0; i < 8; i++) expect((await t.api('/metrics')).status).toBe(200);
    const guesses = [];
    for (let i = 0; i < 4; i++) guesses.push((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer guess-${i}-0123456789` } })).status);
    expect(guesses).toEqual([401, 401, 401, 429]);
    // Probes stay exempt even for an address that is over its limit.
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  });
});

describe('turned off', () => {
  it('answers without limits or headers when rateLimits is off', async () => {
    const t = await serve({ rateLimits: 'off', ingestRateLimit: '0.5:1', unauthenticatedRateLimit: '0.5:1' });
    const { writeKey } = await t.newSystem();
    for (let i = 0; i < 3; i++) {
      const response = await ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'E' });
      await expectJson(response, 200);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
      expect((await fetch(`${t.url}/api/partners`)).status).toBe(401);
    }
  });

  it('does not limit by address when the fetch runtime does not know it', async () => {
    const platform = createPlatform({ storage: createMemoryStorage() });
    const handler = createHandler({ platform, admin: await platform.setUpAdminToken(ADMIN_TOKEN), rateLimits: { unauthenticated: { perSecond: 0.5, burst: 1 } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await handler(new Request('http://localhost/api/partners'))).status);
    expect(statuses).toEqual([401, 401, 401]);
    await platform.close();
  });
});

describe('key lookups', () => {
  it('looks a key up once per request, though both the rate limit and the route need it', async () => {
    const platform = createPlatform({ storage: createMemoryStorage() });
    const admin = await platform.setUpAdminToken(ADMIN_TOKEN);
    const partner = valueOf(await platform.createPartner({ name: 'P', email: 'o@e.co' }));
    const system = valueOf(await platform.addSystem(partner.id, { name: 'web' }));
    const lookups: string[] = [];
    const counted = new Proxy(platform, {
      get: (target, name) =>
        name === 'authenticateKey'
          ? (token: string) => (lookups.push(token), target.authenticateKey(token))
          : Reflect.get(target, name, target),
    });
    const handler = createHandler({ platform: counted, admin });
    const asKey = (path: string, key: string) => handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }));

    const read = await asKey(`/api/systems/${system.system.id}/stats/top-events`, system.secretKey.key);
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-limit')).not.toBeNull();
    expect(lookups).toEqual([system.secretKey.key]);

    // A write key is refused by the route after the same single lookup.
    expect((await asKey(`/api/systems/${system.system.id}/events`, system.writeKey.key)).status).toBe(403);
    expect(lookups).toEqual([system.secretKey.key, system.writeKey.key]);
    await platform.close();
  });
});
