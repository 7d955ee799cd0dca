import type { StoredEvent } from '../ingestion/tracking-event';
import type { Interval, TimeseriesPoint, TimeseriesQuery, TopEventsQuery } from './analytics-store';
import { compareBytes } from './jsonb-order';
import { actorOf, hourOf, readModelDelta } from './read-model-delta';

const HOUR = 3_600_000;

/**
 * The analytics answers computed straight from a system's events, with the read models' rules:
 * hourly buckets, identity merged by identify and alias. The memory backend answers this way, and
 * tests check the SQL read models against it.
 */
export function computeTimeseries(events: readonly StoredEvent[], q: TimeseriesQuery): TimeseriesPoint[] {
  const canonical = identityResolver(events);
  const buckets = new Map<number, { count: number; people: Set<string> }>();
  for (const e of events) {
    const hour = new Date(hourOf(e.timestamp));
    if (e.systemId !== q.systemId || hour < q.from || hour >= q.to) continue;
    if (q.event !== undefined && (e.event ?? '') !== q.event) continue;
    const start = bucketStart(hour, q.interval, q.tz).getTime();
    const bucket = buckets.get(start) ?? { count: 0, people: new Set<string>() };
    bucket.count++;
    const actor = actorOf(e);
    if (actor) bucket.people.add(canonical(actor));
    buckets.set(start, bucket);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, b]) => ({ bucket: new Date(start), count: b.count, uniqueUsers: b.people.size }));
}

/** The most frequent track events, computed straight from the events. */
export function computeTopEvents(events: readonly StoredEvent[], q: TopEventsQuery): { event: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of events) {
    const hour = new Date(hourOf(e.timestamp));
    if (e.systemId !== q.systemId || e.type !== 'track' || hour < q.from || hour >= q.to) continue;
    counts.set(e.event ?? '', (counts.get(e.event ?? '') ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([event, count]) => ({ event, count }))
    .sort((a, b) => b.count - a.count || compareBytes(a.event, b.event))
    .slice(0, q.limit);
}

/** Follows identify and alias links, in event order, to each actor's person. */
export function identityResolver(events: readonly StoredEvent[]): (actor: string) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const ordered = [...events].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  for (const link of readModelDelta(ordered).links) {
    const from = find(link.actor);
    const into = find(link.target);
    if (from !== into) parent.set(from, into);
  }
  return find;
}

/**
 * The start of the bucket an instant falls in, cut in a time zone. An hour is the UTC hour (zones are
 * whole hours from UTC), so the local hour repeated when clocks go back is two buckets, not one. A
 * day starts at its first whole hour: the first of two midnights, or 01:00 when midnight is skipped.
 */
export function bucketStart(instant: Date, interval: Interval, tz: string): Date {
  if (interval === 'hour') return new Date(Math.floor(instant.getTime() / HOUR) * HOUR);
  const local = wallClock(instant, tz);
  const inDay = (at: number) => {
    const w = wallClock(new Date(at), tz);
    return w.year === local.year && w.month === local.month && w.day === local.day;
  };
  // Local midnight at the instant's offset, then an hour either way if clocks changed since.
  let start = utc(local.year, local.month - 1, local.day) - offsetMs(instant, tz);
  while (!inDay(start)) start += HOUR;
  while (inDay(start - HOUR)) start -= HOUR;
  return new Date(start);
}

/** `Date.UTC`, but for every year: `Date.UTC` reads years 0 to 99 as 1900 to 1999. */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return new Date(0).setUTCFullYear(year, month, day) + hour * HOUR + minute * 60_000;
}

// One formatter per zone: constructing one costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, tz: string) {
  let format = formatters.get(tz);
  if (!format) {
    const options = { timeZone: tz, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' } as const;
    formatters.set(tz, (format = new Intl.DateTimeFormat('en-US', options)));
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  return {
    // Years before 1 are 1 BC, 2 BC, …: year 0 is 1 BC.
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The zone's UTC offset at an instant, in ms. */
export function offsetMs(instant: Date, tz: string): number {
  const w = wallClock(instant, tz);
  return utc(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(instant.getTime() / 60_000) * 60_000;
}
