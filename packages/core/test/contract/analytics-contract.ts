import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector, type Storage, type TrackingEvent } from '../../src';
import { computeTimeseries, computeTopEvents } from '../../src/analytics/compute-analytics';
import { computeBreakdown, computeFunnel, computeUserProfile } from '../../src/analytics/compute-person-analytics';
import { createPlatform } from '../../src/create-platform';
import type { TestBackend } from '../support/backends';

/** A valid track call of `userId` and/or `anonymousId` at `timestamp`, received then, with nothing else set. */
function trackCall(e: Pick<TrackingEvent, 'systemId' | 'messageId' | 'event' | 'userId' | 'anonymousId' | 'timestamp'> & Partial<TrackingEvent>): TrackingEvent {
  return {
    type: 'track', groupId: null, previousId: null, properties: {}, traits: {}, context: {}, integrations: {},
    originalTimestamp: null, sentAt: null, receivedAt: e.timestamp, valid: true, validationErrors: [], ...e,
  };
}

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
    ])('counts the funnel %j within %d ms exactly as brute force', async (steps, withinMs) => {
      const query = { systemId, steps, withinMs, from, to };
      const expected = computeFunnel(await allEvents(systemId), query);
      expect(expected[0]!.users).toBeGreaterThan(expected.at(-1)!.users);
      expect(await storage.analytics.funnel(query)).toEqual(expected);
    });

    it('counts funnel steps at the edges: at `from` in, at `to` out, the same instant out, the end of the window in', async () => {
      const platform = createPlatform({ storage });
      const partner = await platform.createPartner({ name: `Funnel edges ${Date.now()}`, email: 'e@example.com' });
      if (!partner.ok) throw partner.error;
      const added = await platform.addSystem(partner.value.id, { name: 'edges' });
      if (!added.ok) throw added.error;
      const id = added.value.system.id;
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
        const seen: string[] = [];
        let beforeSeq: string | undefined;
        for (;;) {
          const page = await storage.events.list(systemId, { ...filter, limit: 7, beforeSeq });
          seen.push(...page.map((e) => e.messageId));
          if (page.length < 7) break;
          beforeSeq = page.at(-1)!.seq;
        }
        expect(seen).toEqual(expected.map((e) => e.messageId));
      }
      await new Projector(storage).catchUp();
    });

    it('reports nothing behind once caught up, and rebuilds to the same answers', async () => {
      const status = await storage.analytics.status();
      expect(status.behindEvents).toBe(0);
      const query = { systemId, from, to, interval: 'day' as const, tz: 'UTC' };
      const before = await storage.analytics.timeseries(query);
      await storage.projection.reset();
      await new Projector(storage).catchUp();
      expect(await storage.analytics.timeseries(query)).toEqual(before);
    });
  });
}
