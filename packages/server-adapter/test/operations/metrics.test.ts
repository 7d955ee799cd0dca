import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src';
import { ADMIN_TOKEN, basic, startTestServer, type TestServer } from '../support/test-server';

/** The value of one sample in Prometheus' text format, matched by name and every given label. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(t: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${t.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

const post = (t: TestServer, path: string, writeKey: string, body: unknown) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: basic(writeKey), 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /metrics', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Without the projector the lag gauge shows every stored event still waiting.
    t = await startTestServer('postgres', { projector: false });
  });
  afterAll(() => t.close());

  it('counts ingested events by outcome, group commits, request durations per route, pool and lag', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const schema = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };
    expect((await t.api(`/api/systems/${systemId}/event-structures/Paid`, { method: 'PUT', json: { schema } })).status).toBe(201);
    expect((await t.api(`/api/systems/${systemId}/event-structures/Refunded`, { method: 'PUT', json: { schema, required: true } })).status).toBe(201);

    const batch = [
      { type: 'track', userId: 'u1', event: 'Paid', properties: { total: 3 }, messageId: 'm-1' },
      { type: 'track', userId: 'u2', event: 'Paid', properties: { total: 4 }, messageId: 'm-2' },
      { type: 'track', userId: 'u3', event: 'Paid', properties: {}, messageId: 'm-3' },
      { type: 'track', userId: 'u4', event: 'Refunded', properties: {}, messageId: 'm-4' },
    ];
    expect((await post(t, '/v1/batch', writeKey, { batch })).status).toBe(200);
    expect((await post(t, '/v1/track', writeKey, batch[0])).status).toBe(200);
    for (const id of ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']) {
      await t.api(`/api/systems/${id}/events`);
    }

    const text = await scrape(t);
    expect(sample(text, 'volcanion_ingested_events_total', { outcome: 'valid' })).toBe(2);
    expect(sample(text, 'volcanion_ingested_events_total', { outcome: 'flagged' })).toBe(1);
    expect(sample(text, 'volcanion_ingested_events_total', { outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'volcanion_ingested_events_total', { outcome: 'deduplicated' })).toBe(1);
    expect(sample(text, 'volcanion_group_commit_batch_events_sum')).toBe(4);
    expect(sample(text, 'volcanion_group_commit_duration_seconds_count', { outcome: 'committed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'volcanion_group_commit_queued_events')).toBe(0);
    expect(sample(text, 'volcanion_http_request_duration_seconds_count', { method: 'POST', route: '/v1/batch', status_code: '200' })).toBe(1);
    // Two different system ids are one route label: no id ever becomes a label value.
    expect(sample(text, 'volcanion_http_request_duration_seconds_count', { method: 'GET', route: '/api/systems/:id/events', status_code: '404' })).toBe(2);
    expect(sample(text, 'volcanion_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
    expect(sample(text, 'volcanion_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'volcanion_projection_lag_events')).toBe(3);
    // The projector never ran: the lag is the backlog's age, not 0.
    expect(sample(text, 'volcanion_projection_lag_seconds')).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    for (const leak of ['u1', 'm-1', 'Paid', systemId, writeKey]) expect(text).not.toContain(`"${leak}"`);
  });

  it('counts answer and credential cache hits and misses', async () => {
    const { systemId, writeKey } = await t.newSystem();
    expect((await post(t, '/v1/track', writeKey, { userId: 'u', event: 'E' })).status).toBe(200);
    expect((await post(t, '/v1/track', writeKey, { userId: 'u', event: 'E' })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await t.api(`/api/systems/${systemId}/stats/top-events`)).status).toBe(200);
    const text = await scrape(t);
    expect(sample(text, 'volcanion_cache_lookups_total', { cache: 'credentials', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'volcanion_cache_lookups_total', { cache: 'credentials', result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'volcanion_cache_lookups_total', { cache: 'answers', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'volcanion_cache_lookups_total', { cache: 'answers', result: 'miss' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps label values bounded however many distinct paths, users and ids arrive', async () => {
    const { writeKey } = await t.newSystem();
    const before = (await scrape(t)).split('\n').length;
    for (let i = 0; i < 30; i++) {
      await post(t, '/v1/track', writeKey, { userId: `user-${i}`, event: `Event ${i}`, messageId: `id-${i}` });
      await t.api(`/api/partners/${crypto.randomUUID()}`);
      await fetch(`${t.url}/no/such/path/${i}`);
    }
    const after = await scrape(t);
    // New series appear only for new (route, status) pairs, not per request.
    expect(after.split('\n').length - before).toBeLessThan(40);
    expect(after).not.toContain('/no/such/path');
  });
});

describe('GET /metrics behind the admin token', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('memory', { metrics: 'admin' });
  });
  afterAll(() => t.close());

  it('answers 401 without a token, 403 with a system key, and the metrics with the admin token', async () => {
    const anonymous = await fetch(`${t.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const { secretKey } = await t.newSystem();
    // A system’s secret key is a valid credential without the right: forbidden, as on other admin routes.
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${secretKey}` } })).status).toBe(403);
    expect(await scrape(t, { authorization: `Bearer ${ADMIN_TOKEN}` })).toContain('volcanion_http_request_duration_seconds');
  });
});

describe('metrics turned off', () => {
  it('has no /metrics route', async () => {
    const t = await startTestServer('memory', { metrics: 'off' });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('metrics of handlers an app mounts itself', () => {
  it('shares one registry between two handlers without registering a metric twice, with process metrics once', async () => {
    const registry = new Registry();
    const platform = createPlatform({ storage: createMemoryStorage() });
    const admin = await platform.setUpAdminToken(ADMIN_TOKEN);
    const first = createHandler({ platform, admin, metrics: { registry, processMetrics: true } });
    const second = createHandler({ platform, admin, metrics: { registry, processMetrics: true } });
    await first(new Request('http://app.test/api/partners', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
    await second(new Request('http://app.test/api/partners', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
    const text = await (await first(new Request('http://app.test/metrics'))).text();
    expect(sample(text, 'volcanion_http_request_duration_seconds_count', { method: 'GET', route: '/api/partners', status_code: '200' })).toBe(2);
    expect(text.match(/^# TYPE process_cpu_user_seconds_total/gm)).toHaveLength(1);
    await platform.close();
  });

  it('collects process metrics once per process however many handlers use their own registries', async () => {
    const platform = createPlatform({ storage: createMemoryStorage() });
    const admin = await platform.setUpAdminToken(ADMIN_TOKEN);
    const handlers = Array.from({ length: 3 }, () => createHandler({ platform, admin }));
    for (const handler of handlers) {
      const text = await (await handler(new Request('http://app.test/metrics'))).text();
      expect(text.match(/^# TYPE nodejs_heap_size_used_bytes/gm)).toHaveLength(1);
      expect(text).toContain('# TYPE volcanion_http_request_duration_seconds histogram');
    }
    await platform.close();
  });
});
