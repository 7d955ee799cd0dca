import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let a: Awaited<ReturnType<TestServer['newSystem']>>;
let b: Awaited<ReturnType<TestServer['newSystem']>>;
const day = (d: number, h = 12) => new Date(Date.UTC(2026, 2, d, h)).toISOString();

async function projected(systemId: string, expected: number) {
  // The server's projector runs in the background; wait until it has applied what we sent.
  for (let i = 0; i < 100; i++) {
    const status = await (await server.api('/api/projection')).json();
    if (status.behindEvents === 0 && status.projectedEvents >= expected) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`projection of ${systemId} did not catch up`);
}

beforeAll(async () => {
  server = await startTestServer();
  a = await server.newSystem();
  b = await server.newSystem();
  const batch = [
    { type: 'track', anonymousId: 'anon-1', event: 'Viewed', timestamp: day(1) },
    { type: 'identify', anonymousId: 'anon-1', userId: 'ada', timestamp: day(1, 13) },
    { type: 'track', userId: 'ada', event: 'Bought', timestamp: day(1, 14) },
    { type: 'track', userId: 'bob', event: 'Viewed', timestamp: day(1, 15) },
    { type: 'track', userId: 'bob', event: 'Viewed', timestamp: day(2) },
    { type: 'identify', userId: 'ada', traits: { plan: 'pro', email: 'ada@example.com' }, timestamp: day(2, 1) },
    { type: 'group', userId: 'ada', groupId: 'org-1', timestamp: day(2, 2) },
    { type: 'track', userId: 'ada', event: 'Bought', properties: { plan: 'pro' }, timestamp: day(2, 3) },
    { type: 'track', userId: 'bob', event: 'Bought', properties: { plan: 'free' }, timestamp: day(2, 4) },
  ];
  const sent = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: basic(a.writeKey), 'content-type': 'application/json', },
    body: JSON.stringify({ batch }),
  });
  expect(sent.status).toBe(200);
  await fetch(`${server.url}/v1/track`, {
    method: 'POST',
    headers: { authorization: basic(b.writeKey), 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'other', event: 'Secret', timestamp: day(1) }),
  });
  await projected(a.systemId, 10);
});
afterAll(async () => server?.close());

describe('GET /api/systems/:id/stats/timeseries', () => {
  it('counts events and unique people per day, merging an anonymous visitor with the user they became', async () => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/timeseries?interval=day&from=${day(1, 0)}&to=${day(3, 0)}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data).toEqual([
      { bucket: day(1, 0), count: 4, uniqueUsers: 2 },
      { bucket: day(2, 0), count: 5, uniqueUsers: 2 },
    ]);
    expect(body.projection).toMatchObject({ behindEvents: 0, projectedEvents: expect.any(Number) });
    expect(body.projection.projectedThrough).not.toBeNull();
    expect(body.projection).toMatchObject({ waitingSince: null, lagSeconds: 0 });
  });

  it('filters by event and answers with the secret key of the system', async () => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/timeseries?interval=hour&event=Viewed&from=${day(1, 0)}&to=${day(3, 0)}`, {
      headers: { authorization: `Bearer ${a.secretKey}` },
    });
    expect((await response.json()).data.map((p: { count: number }) => p.count)).toEqual([1, 1, 1]);
  });

  it.each([
    ['interval=week', 'interval'],
    ['tz=Mars/Olympus', 'tz'],
    ['tz=Asia/Kolkata', 'tz'],
    // UTC+8:30 from 2015 to 2018, whole hours now: the range decides.
    ['tz=Asia/Pyongyang&from=2017-01-01T00:00:00Z&to=2017-01-03T00:00:00Z', 'tz'],
    // Clocks go back two hours each October: a 26-hour day.
    ['tz=Antarctica/Troll&from=2024-10-25T00:00:00Z&to=2024-10-29T00:00:00Z', 'tz'],
    ['from=yesterday', 'from'],
    [`from=${day(3)}&to=${day(1)}`, 'from'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/timeseries?${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].field).toBe(field);
  });

  it.each([
    'tz=Asia/Pyongyang&from=2024-01-01T00:00:00Z&to=2024-01-03T00:00:00Z',
    'tz=Europe/Berlin&from=2024-10-25T00:00:00Z&to=2024-10-29T00:00:00Z',
    'tz=europe/BERLIN&from=2024-10-25T00:00:00Z&to=2024-10-29T00:00:00Z',
    'tz=UTC&from=0000-01-01T00:00:00Z&to=0000-01-03T00:00:00Z',
  ])('answers 200 for %s', async (query) => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/timeseries?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
  });
});

describe('GET /api/systems/:id/stats/top-events', () => {
  it('ranks track events', async () => {
    const body = await (await server.api(`/api/systems/${a.systemId}/stats/top-events?from=${day(1, 0)}&to=${day(3, 0)}&limit=5`)).json();
    expect(body.data).toEqual([
      { event: 'Bought', count: 3 },
      { event: 'Viewed', count: 3 },
    ]);
  });
});

describe('GET /api/systems/:id/stats/breakdown', () => {
  it('counts an event per property value, missing values as null', async () => {
    const body = await (await server.api(`/api/systems/${a.systemId}/stats/breakdown?event=Bought&property=plan&from=${day(1, 0)}&to=${day(3, 0)}`)).json();
    // Equal counts go by the value's JSON text: "free", "pro", null.
    expect(body.data).toEqual([
      { value: 'free', count: 1 },
      { value: 'pro', count: 1 },
      { value: null, count: 1 },
    ]);
  });

  it('names a missing event or property', async () => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/breakdown?event=Bought`);
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].field).toBe('property');
  });
});

describe('GET /api/systems/:id/funnels', () => {
  it('follows each person through the steps in order and within the window, across their ids', async () => {
    const funnel = async (within: string) =>
      (await (await server.api(`/api/systems/${a.systemId}/funnels?steps=Viewed,Bought&within=${within}&from=${day(1, 0)}&to=${day(3, 0)}`)).json()).data;
    // ada viewed anonymously, then bought as herself an hour later; bob viewed, bought a day later.
    expect(await funnel('PT2H')).toEqual([{ step: 'Viewed', users: 2 }, { step: 'Bought', users: 1 }]);
    expect(await funnel('P2D')).toEqual([{ step: 'Viewed', users: 2 }, { step: 'Bought', users: 2 }]);
  });

  it.each([['steps=Viewed', 'steps'], ['steps=Viewed,Bought&within=1 day', 'within']])('answers 400 for %s naming %s', async (query, field) => {
    const response = await server.api(`/api/systems/${a.systemId}/funnels?${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].field).toBe(field);
  });
});

describe('GET /api/systems/:id/users/:userId', () => {
  it('merges the anonymous visitor into the user, with traits, groups and the newest events first', async () => {
    const body = await (await server.api(`/api/systems/${a.systemId}/users/ada?limit=3`)).json();
    expect(body).toMatchObject({
      userId: 'ada',
      identities: ['a:anon-1', 'u:ada'],
      firstSeen: day(1),
      lastSeen: day(2, 3),
      traits: { plan: 'pro', email: 'ada@example.com' },
      groups: ['org-1'],
    });
    expect(body.timeline.map((e: { type: string; event: string }) => `${e.type}:${e.event}`)).toEqual(['track:Bought', 'group:', 'identify:']);
  });

  it('is 404 for someone never seen', async () => {
    expect((await server.api(`/api/systems/${a.systemId}/users/nobody`)).status).toBe(404);
  });
});

describe('isolation', () => {
  it.each(['stats/timeseries', 'stats/top-events', 'stats/breakdown?event=Viewed&property=plan&x=1', 'funnels?steps=Viewed,Bought&x=1', 'users/ada', 'events', 'event-structures', ''])(
    'a key of system B learns nothing of system A through /%s',
    async (route) => {
      const response = await server.api(`/api/systems/${a.systemId}${route ? `/${route}` : ''}${route.includes('?') ? '&' : '?'}from=${day(1, 0)}&to=${day(3, 0)}`, {
        headers: { authorization: `Bearer ${b.secretKey}` },
      });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('Viewed');
    },
  );

  it('a write key cannot read stats', async () => {
    const response = await server.api(`/api/systems/${a.systemId}/stats/top-events`, { headers: { authorization: `Bearer ${a.writeKey}` } });
    expect(response.status).toBe(403);
  });

  it('system B sees only its own events', async () => {
    const body = await (await server.api(`/api/systems/${b.systemId}/stats/top-events?from=${day(1, 0)}&to=${day(3, 0)}`, { headers: { authorization: `Bearer ${b.secretKey}` } })).json();
    expect(body.data).toEqual([{ event: 'Secret', count: 1 }]);
  });
});
