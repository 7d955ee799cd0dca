import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector, type ListEventsOptions, type Storage, type TrackingEvent } from '../../src';
import type { Interval, TimeseriesPoint } from '../../src/analytics/analytics-store';
import { computeTimeseries, computeTopEvents } from '../../src/analytics/compute-analytics';
import { computeBreakdown, computeFunnel, computeUserProfile } from '../../src/analytics/compute-person-analytics';
import { createPlatform } from '../../src/create-platform';
import type { TestBackend } from '../support/backends';
import { trackCall } from '../support/track-call';

/**
 * The read models must answer exactly what a brute-force pass over the same events computes:
 * counts, and unique people with anonymous and identified ids merged by identify and alias.
 */
export function runAnalyticsContract({ name, create }: { name: string; create: () => Promise<TestBackend> }): void {
  describe(`analytics contract: ${name}`, () => {
    let backend: TestBackend;
    let storage: Storage;
    let systemId: string;
    let otherSystemId: string;
    const start = Date.parse('2026-03-06T00:00:00Z');

    beforeAll(async () => {
      backend = await create();
      storage = backend.storage;
      const platform = createPlatform({ storage });
      const partner = await platform.createPartner({ name: `Analytics ${Date.now()}`, email: 'a@example.com' });
      if (!partner.ok) throw partner.error;
      const a = await platform.addSystem(partner.value.id, { name: 'a' });
      const b = await platform.addSystem(partner.value.id, { name: 'b' });
      if (!a.ok || !b.ok) throw new Error('setup failed');
      systemId = a.value.system.id;
      otherSystemId = b.value.system.id;
      // Random traffic over three days (across a DST change in New York), with identity merges.
      const arbitraryEvent = fc.record({
        minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }),
        kind: fc.constantFrom('track', 'track', 'track', 'page', 'identify', 'alias', 'group'),
        plan: fc.constantFrom('free', 'pro', 'team', null, undefined, 3),
        trait: fc.constantFrom('a', 'b', 'c'),
        event: fc.constantFrom('Signed Up', 'Viewed', 'Bought'),
        user: fc.integer({ min: 0, max: 7 }),
        anon: fc.integer({ min: 0, max: 11 }),
        identified: fc.boolean(),
      });
      const drawn = fc.sample(arbitraryEvent, { numRuns: 600, seed: 42 });
      const events: TrackingEvent[] = drawn.map((d, i) => {
        const timestamp = new Date(start + d.minute * 60_000 + (i % 60) * 1000);
        const base = {
          systemId: i % 10 === 0 ? otherSystemId : systemId,
          messageId: `m${i}`,
          groupId: null,
          previousId: null as string | null,
          properties: {},
          traits: {},
          context: {},
          integrations: {},
          timestamp,
          originalTimestamp: null,
          sentAt: null,
          receivedAt: timestamp,
          valid: true,
          validationErrors: [],
        };
        if (d.kind === 'identify') {
          // Each anonymous id belongs to one person, as in real traffic; random pairs would merge everyone.
          return { ...base, type: 'identify', event: null, userId: `user${d.anon % 8}`, anonymousId: `anon${d.anon}`, traits: { tier: d.trait, [`seen_${d.trait}`]: i } };
        }
        if (d.kind === 'group') return { ...base, type: 'group', event: null, userId: `user${d.user}`, anonymousId: null, groupId: `org${d.anon % 3}` };
        if (d.kind === 'alias') return { ...base, type: 'alias', event: null, userId: `user${d.anon % 8}`, anonymousId: null, previousId: `anon${d.anon}` };
        return {
          ...base,
          type: d.kind as 'track' | 'page',
          event: d.kind === 'page' ? 'Home' : d.event,
          // `seq`: a distinct value per event (more than a rollup keeps); `shape`: an object for some.
          properties: { ...(d.plan === undefined ? {} : { plan: d.plan }), seq: i, ...(i % 3 === 0 ? { shape: { tier: d.trait } } : { shape: d.trait }) },
          userId: d.identified ? `user${d.user}` : null,
          anonymousId: d.identified ? null : `anon${d.anon}`,
        };
      });
      // Several appends, as traffic arrives, projected in between and at the end.
      for (let i = 0; i < events.length; i += 150) {
        await storage.events.append(events.slice(i, i + 150));
        if (i === 300) await new Projector(storage, { batchSize: 97 }).catchUp();
      }
      await new Projector(storage, { batchSize: 97 }).catchUp();
    });
    afterAll(async () => backend?.dispose());

    const allEvents = async (id: string) => storage.events.list(id, { limit: 100_000 });
    /** The message ids of a filtered listing of the shared system, paged through 7 at a time by keyset. */
    const pagedMessageIds = async (filter: Omit<ListEventsOptions, 'limit' | 'beforeSeq'>) => {
      const seen: string[] = [];
      let beforeSeq: string | undefined;
      for (;;) {
        const page = await storage.events.list(systemId, { ...filter, limit: 7, beforeSeq });
        seen.push(...page.map((e) => e.messageId));
        if (page.length < 7) return seen;
        beforeSeq = page.at(-1)!.seq;
      }
    };
    // A system of its own for a test's hand-made events, out of the shared random traffic.
    const newSystem = async (name: string) => {
      const platform = createPlatform({ storage });
      const partner = await platform.createPartner({ name: `${name} ${Date.now()}`, email: 'owner@example.com' });
      if (!partner.ok) throw partner.error;
      const added = await platform.addSystem(partner.value.id, { name });
      if (!added.ok) throw added.error;
      return added.value.system.id;
    };
    const from = new Date(start);
    const to = new Date(start + 3 * 24 * 3600 * 1000);

    it.each([
      ['hour', 'UTC', undefined],
      ['day', 'UTC', undefined],
      ['day', 'America/New_York', undefined],
      ['day', 'Asia/Tokyo', 'Bought'],
      ['hour', 'Europe/Berlin', 'Home'],
    ] as const)('answers a %s timeseries in %s (event %s) exactly as brute force', async (interval, tz, event) => {
      const query = { systemId, from, to, interval, tz, event };
      const expected = computeTimeseries(await allEvents(systemId), query);
      expect(expected.length).toBeGreaterThan(0);
      expect(await storage.analytics.timeseries(query)).toEqual(expected);
    });

    it('merges identities: fewer unique people than distinct ids, counted once per bucket', async () => {
      const query = { systemId, from, to, interval: 'day' as const, tz: 'UTC' };
      const series = await storage.analytics.timeseries(query);
      const events = await allEvents(systemId);
      const distinctIds = new Set(events.filter((e) => e.type !== 'alias').map((e) => e.userId ?? e.anonymousId));
      expect(Math.max(...series.map((p) => p.uniqueUsers))).toBeLessThan(distinctIds.size);
    });

    it('answers top events exactly as brute force, per system', async () => {
      const query = { systemId, from, to, limit: 2 };
      expect(await storage.analytics.topEvents(query)).toEqual(computeTopEvents(await allEvents(systemId), query));
      const other = { systemId: otherSystemId, from, to, limit: 10 };
      expect(await storage.analytics.topEvents(other)).toEqual(computeTopEvents(await allEvents(otherSystemId), other));
    });

    // Ties in count may come in another order; compare as (count, value) sets ordered the same way.
    const byCountThenValue = (rows: { value: unknown; count: number }[]) =>
      [...rows].sort((a, b) => b.count - a.count || (JSON.stringify(a.value) < JSON.stringify(b.value) ? -1 : 1));

    it.each(['Bought', 'Viewed', 'Home'])('breaks %s down by a property exactly as brute force', async (event) => {
      const query = { systemId, event, property: 'plan', from, to, limit: 100 };
      const expected = computeBreakdown(await allEvents(systemId), query);
      expect(expected.length).toBeGreaterThan(2);
      expect(byCountThenValue(await storage.analytics.breakdown(query))).toEqual(expected);
    });

    it.each([
      ['seq', 'Viewed'],
      ['shape', 'Bought'],
    ])('breaks an event down by %s (too many values, or objects) exactly as brute force', async (property, event) => {
      const query = { systemId, event, property, from, to, limit: 1000 };
      const expected = computeBreakdown(await allEvents(systemId), query);
      expect(expected.length).toBeGreaterThan(2);
      expect(byCountThenValue(await storage.analytics.breakdown(query))).toEqual(expected);
    });

    it('answers partial buckets and ranges that start inside the data exactly as brute force', async () => {
      const events = await allEvents(systemId);
      const inner = { from: new Date(start + 29 * 3600 * 1000), to: new Date(start + 61 * 3600 * 1000) };
      for (const [interval, tz] of [['day', 'Europe/Berlin'], ['day', 'America/New_York'], ['hour', 'UTC']] as const) {
        const query = { systemId, ...inner, interval, tz };
        expect(await storage.analytics.timeseries(query)).toEqual(computeTimeseries(events, query));
        const one = { ...query, event: 'Viewed' };
        expect(await storage.analytics.timeseries(one)).toEqual(computeTimeseries(events, one));
      }
      const funnel = { systemId, steps: ['Viewed', 'Bought', 'Viewed'], withinMs: 12 * 3600 * 1000, ...inner };
      expect(await storage.analytics.funnel(funnel)).toEqual(computeFunnel(events, funnel));
      const top = { systemId, ...inner, limit: 10 };
      expect(await storage.analytics.topEvents(top)).toEqual(computeTopEvents(events, top));
      const breakdown = { systemId, event: 'Bought', property: 'plan', ...inner, limit: 100 };
      expect(byCountThenValue(await storage.analytics.breakdown(breakdown))).toEqual(computeBreakdown(events, breakdown));
      // Not whole hours: the per-event read model, not the hourly rollup.
      const odd = { ...breakdown, from: new Date(inner.from.getTime() + 17 * 60_000) };
      expect(byCountThenValue(await storage.analytics.breakdown(odd))).toEqual(computeBreakdown(events, odd));
    });

    it.each([
      [['Viewed', 'Bought'], 24 * 3600 * 1000],
      [['Signed Up', 'Viewed', 'Bought'], 6 * 3600 * 1000],
      [['Home', 'Signed Up', 'Viewed', 'Bought'], 2 * 3600 * 1000],
      [['Home', 'Viewed', 'Home', 'Bought', 'Viewed'], 12 * 3600 * 1000],
      [['Bought'], 3600 * 1000],
    ])('counts the funnel %j within %d ms exactly as brute force', async (steps, withinMs) => {
      const query = { systemId, steps, withinMs, from, to };
      const expected = computeFunnel(await allEvents(systemId), query);
      expect(expected[0]!.users).toBeGreaterThan(steps.length > 1 ? expected.at(-1)!.users : 0);
      expect(await storage.analytics.funnel(query)).toEqual(expected);
    });

    it('counts funnel steps at the edges: at `from` in, at `to` out, the same instant out, the end of the window in', async () => {
      const id = await newSystem('edges');
      const t0 = start + 3_600_000;
      const hour = 3_600_000;
      const at = (userId: string, event: string, ms: number, n: number) =>
        trackCall({ systemId: id, messageId: `edge-${userId}-${n}`, event, userId, anonymousId: null, timestamp: new Date(ms) });
      await storage.events.append([
        // Enters at `from` exactly; B at the same instant does not follow it, B at the window's end does.
        at('edge-in', 'A', t0, 1), at('edge-in', 'B', t0, 2), at('edge-in', 'B', t0 + hour, 3),
        // Enters at `from`; B 1 ms after the window's end.
        at('edge-late', 'A', t0, 1), at('edge-late', 'B', t0 + hour + 1, 2),
        // A 1 ms before `from` does not enter; its later A does, and B follows that one.
        at('edge-before', 'A', t0 - 1, 1), at('edge-before', 'A', t0 + 10, 2), at('edge-before', 'B', t0 + 5, 3), at('edge-before', 'B', t0 + 11, 4),
        // B before A only: never follows. A at `to` does not enter.
        at('edge-order', 'B', t0 + 1, 1), at('edge-order', 'A', t0 + 2, 2),
        at('edge-to', 'A', t0 + 2 * hour, 1), at('edge-to', 'B', t0 + 2 * hour + 1, 2),
      ]);
      await new Projector(storage, { batchSize: 5 }).catchUp();
      const query = { systemId: id, steps: ['A', 'B'], withinMs: hour, from: new Date(t0), to: new Date(t0 + 2 * hour) };
      const expected = computeFunnel(await allEvents(id), query);
      expect(expected).toEqual([{ step: 'A', users: 4 }, { step: 'B', users: 2 }]);
      expect(await storage.analytics.funnel(query)).toEqual(expected);
    });

    it('cuts buckets at DST changes: the repeated hour is two buckets, a day starts at its first hour and counts each person once', async () => {
      const id = await newSystem('dst');
      const at = (userId: string, iso: string) =>
        trackCall({ systemId: id, messageId: `dst-${userId}-${iso}`, event: 'A', userId, anonymousId: null, timestamp: new Date(iso) });
      // New York goes back from 02:00 EDT to 01:00 EST at 06:00Z on 2026-11-01, so Nov 1 lasts 25 hours;
      // Havana goes back from 01:00 to 00:00 at 05:00Z the same day: its local midnight happens twice.
      // Havana skips 00:00 on 2026-03-08 (05:00Z is 01:00). Amman went from 01:00 back to 00:00 on
      // 2015-10-30, so that day began at 21:00Z, not at the 22:00Z PostgreSQL reads its midnight as.
      await storage.events.append([
        at('u1', '2026-11-01T03:50:00Z'), at('u1', '2026-11-01T04:30:00Z'), at('u1', '2026-11-01T05:30:00Z'),
        at('u2', '2026-11-01T06:10:00Z'), at('u1', '2026-11-01T06:30:00Z'), at('u2', '2026-11-02T04:30:00Z'), at('u3', '2026-11-02T05:10:00Z'),
        at('h1', '2026-03-08T04:30:00Z'), at('h1', '2026-03-08T05:30:00Z'), at('h2', '2026-03-08T06:30:00Z'),
        at('a1', '2015-10-29T20:30:00Z'), at('a1', '2015-10-29T21:30:00Z'), at('a1', '2015-10-29T22:30:00Z'),
      ]);
      await new Projector(storage, { batchSize: 3 }).catchUp();
      const events = await allEvents(id);
      const point = (bucket: string, count: number, uniqueUsers: number) => ({ bucket: new Date(bucket), count, uniqueUsers });
      const cases: [Interval, string, string, string, TimeseriesPoint[]][] = [
        ['hour', 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-01T08:00:00Z',
          [point('2026-11-01T04:00:00Z', 1, 1), point('2026-11-01T05:00:00Z', 1, 1), point('2026-11-01T06:00:00Z', 2, 2)]],
        ['day', 'America/New_York', '2026-10-31T04:00:00Z', '2026-11-03T05:00:00Z',
          [point('2026-10-31T04:00:00Z', 1, 1), point('2026-11-01T04:00:00Z', 5, 2), point('2026-11-02T05:00:00Z', 1, 1)]],
        ['day', 'America/Havana', '2026-10-31T04:00:00Z', '2026-11-03T05:00:00Z',
          [point('2026-10-31T04:00:00Z', 1, 1), point('2026-11-01T04:00:00Z', 5, 2), point('2026-11-02T05:00:00Z', 1, 1)]],
        ['day', 'America/Havana', '2026-03-07T05:00:00Z', '2026-03-09T04:00:00Z', [point('2026-03-07T05:00:00Z', 1, 1), point('2026-03-08T05:00:00Z', 2, 2)]],
        ['day', 'Asia/Amman', '2015-10-28T21:00:00Z', '2015-10-30T22:00:00Z', [point('2015-10-28T21:00:00Z', 1, 1), point('2015-10-29T21:00:00Z', 2, 1)]],
      ];
      for (const [interval, tz, from, to, expected] of cases) {
        const query = { systemId: id, interval, tz, from: new Date(from), to: new Date(to) };
        expect(computeTimeseries(events, query), `${interval} ${tz} ${from}`).toEqual(expected);
        expect(await storage.analytics.timeseries(query), `${interval} ${tz} ${from}`).toEqual(expected);
      }
    });

    it('orders tied counts as PostgreSQL does (by UTF-8 bytes of the JSON text), so a limit cuts them the same', async () => {
      const id = await newSystem('ties');
      const t0 = start + 3_600_000;
      const values: unknown[] = [{ b: 1, a: 2 }, { a: 2, b: 1 }, '！', '😀', 0.5, 1e-7];
      await storage.events.append([
        ...values.map((v, i) =>
          trackCall({ systemId: id, messageId: `tie-${i}`, event: 'B', userId: 'u', anonymousId: null, timestamp: new Date(t0 + i), properties: { v, w: i % 2 ? '！' : '😀' } }),
        ),
        ...['！', '😀'].map((event) => trackCall({ systemId: id, messageId: `tie-${event}`, event, userId: 'u', anonymousId: null, timestamp: new Date(t0) })),
      ]);
      await new Projector(storage, { batchSize: 5 }).catchUp();
      const events = await allEvents(id);
      const range = { systemId: id, from: new Date(t0 - 3_600_000), to: new Date(t0 + 3_600_000) };
      const check = async (property: string, limit: number, expected: { value: unknown; count: number }[]) => {
        const query = { ...range, event: 'B', property, limit };
        expect(computeBreakdown(events, query)).toEqual(expected);
        expect(await storage.analytics.breakdown(query)).toEqual(expected);
      };
      // Objects equal as jsonb are one value; strings (`"…`) sort before numbers, 0.0000001 before 0.5.
      await check('v', 3, [{ value: { a: 2, b: 1 }, count: 2 }, { value: '！', count: 1 }, { value: '😀', count: 1 }]);
      await check('v', 10, [{ value: { a: 2, b: 1 }, count: 2 }, { value: '！', count: 1 }, { value: '😀', count: 1 }, { value: 1e-7, count: 1 }, { value: 0.5, count: 1 }]);
      await check('w', 1, [{ value: '！', count: 3 }]);
      await check('constructor', 5, [{ value: null, count: 6 }]);
      const top = { ...range, limit: 2 };
      expect(computeTopEvents(events, top)).toEqual([{ event: 'B', count: 6 }, { event: '！', count: 1 }]);
      expect(await storage.analytics.topEvents(top)).toEqual([{ event: 'B', count: 6 }, { event: '！', count: 1 }]);
    });

    it('compares funnel windows shorter than a millisecond exactly', async () => {
      const id = await newSystem('short');
      const t0 = start + 3_600_000;
      await storage.events.append([
        trackCall({ systemId: id, messageId: 'short-a', event: 'A', userId: 'u', anonymousId: null, timestamp: new Date(t0) }),
        trackCall({ systemId: id, messageId: 'short-b', event: 'B', userId: 'u', anonymousId: null, timestamp: new Date(t0 + 1) }),
      ]);
      await new Projector(storage, { batchSize: 5 }).catchUp();
      const query = { systemId: id, steps: ['A', 'B'], from: new Date(t0 - 3_600_000), to: new Date(t0 + 3_600_000) };
      expect(await storage.analytics.funnel({ ...query, withinMs: 0.5 })).toEqual([{ step: 'A', users: 1 }, { step: 'B', users: 0 }]);
      expect(await storage.analytics.funnel({ ...query, withinMs: 1 })).toEqual([{ step: 'A', users: 1 }, { step: 'B', users: 1 }]);
    });

    it.each(['user0', 'user3', 'user7', 'nobody'])('builds the profile of %s exactly as brute force', async (userId) => {
      const expected = computeUserProfile(await allEvents(systemId), systemId, userId, 20);
      expect(await storage.analytics.userProfile(systemId, userId, 20)).toEqual(expected);
      if (userId !== 'nobody') expect(expected!.identities.length).toBeGreaterThan(1);
    });

    it('lists filtered events newest first, page by page, across projected and not yet projected events', async () => {
      // A few events the projector has not seen yet.
      const late = (i: number, userId: string | null, anonymousId: string | null, event: string) =>
        trackCall({ systemId, messageId: `late${i}`, event, userId, anonymousId, timestamp: new Date(start + i * 60_000), receivedAt: new Date(), valid: i % 2 === 0 });
      await storage.events.append([late(1, 'user3', null, 'Viewed'), late(2, null, 'anon4', 'Bought'), late(3, 'user3', 'anon4', 'Bought')]);
      const all = await allEvents(systemId);
      const filters = [{ event: 'Viewed' }, { userId: 'user3' }, { anonymousId: 'anon4' }, { event: 'Bought', valid: true }, { userId: 'user3', type: 'track' as const }, { event: 'Bought', from: new Date(start + 24 * 3600 * 1000), to: new Date(start + 48 * 3600 * 1000) }];
      for (const filter of filters) {
        const expected = all.filter((e) =>
          (filter.event === undefined || e.event === filter.event) && (!('userId' in filter) || e.userId === filter.userId) &&
          (!('anonymousId' in filter) || e.anonymousId === filter.anonymousId) && (!('valid' in filter) || e.valid === filter.valid) &&
          (!('type' in filter) || e.type === filter.type) && (!('from' in filter) || (e.timestamp >= filter.from! && e.timestamp < filter.to!)));
        expect(expected.length).toBeGreaterThan(3);
        expect(await pagedMessageIds(filter)).toEqual(expected.map((e) => e.messageId));
      }
      await new Projector(storage).catchUp();
    });

    it('reports nothing behind once caught up, and rebuilds to the same answers', async () => {
      const status = await storage.analytics.status();
      expect(status.behindEvents).toBe(0);
      const query = { systemId, from, to, interval: 'day' as const, tz: 'UTC' };
      const before = await storage.analytics.timeseries(query);
      const listed = await allEvents(systemId);
      await storage.projection.reset();
      // Nothing projected: every page comes from the log's unprojected tail, far longer than a page.
      for (const filter of [{}, { event: 'Bought' }]) {
        expect(await pagedMessageIds(filter)).toEqual(listed.filter((e) => !('event' in filter) || e.event === filter.event).map((e) => e.messageId));
      }
      await new Projector(storage).catchUp();
      expect(await storage.analytics.timeseries(query)).toEqual(before);
    });
  });
}
