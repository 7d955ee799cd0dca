import type { StoredEvent } from '../ingestion/tracking-event';
import type { BreakdownQuery, FunnelQuery, UserProfile } from './analytics-store';
import { identityResolver } from './compute-analytics';
import { compareBytes, jsonbText } from './jsonb-order';
import { actorOf } from './read-model-delta';

/** Breakdown computed straight from the events (the read models' rules; for memory and tests). */
export function computeBreakdown(events: readonly StoredEvent[], q: BreakdownQuery): { value: unknown; count: number }[] {
  const groups = new Map<string, { value: unknown; key: string; count: number }>();
  for (const e of events) {
    if (e.systemId !== q.systemId || (e.event ?? '') !== q.event || e.timestamp < q.from || e.timestamp >= q.to) continue;
    // Own properties only: `constructor` or `__proto__` are names like any other.
    const value = Object.hasOwn(e.properties, q.property) ? (e.properties[q.property] ?? null) : null;
    const key = jsonbText(value);
    const group = groups.get(key) ?? { value, key, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || compareBytes(a.key, b.key))
    .slice(0, q.limit)
    .map(({ value, count }) => ({ value, count }));
}

/** Funnel computed straight from the events (the read models' rules; for memory and tests). */
export function computeFunnel(events: readonly StoredEvent[], q: FunnelQuery): { step: string; users: number }[] {
  const canonical = identityResolver(events);
  const byPerson = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const actor = actorOf(e);
    if (!actor || e.systemId !== q.systemId || e.timestamp < q.from || e.timestamp >= q.to || !q.steps.includes(e.event ?? '')) continue;
    const person = canonical(actor);
    byPerson.set(person, [...(byPerson.get(person) ?? []), e]);
  }
  const reached = q.steps.map(() => 0);
  for (const personEvents of byPerson.values()) {
    const first = (name: string, after: number, until: number) =>
      personEvents.filter((e) => e.event === name && e.timestamp.getTime() > after && e.timestamp.getTime() <= until).reduce<number | null>((min, e) => (min === null || e.timestamp.getTime() < min ? e.timestamp.getTime() : min), null);
    const entry = personEvents.filter((e) => e.event === q.steps[0]).reduce<number | null>((min, e) => (min === null || e.timestamp.getTime() < min ? e.timestamp.getTime() : min), null);
    if (entry === null) continue;
    reached[0]!++;
    let previous = entry;
    for (let i = 1; i < q.steps.length; i++) {
      const at = first(q.steps[i]!, previous, entry + q.withinMs);
      if (at === null) break;
      reached[i]!++;
      previous = at;
    }
  }
  return q.steps.map((step, i) => ({ step, users: reached[i]! }));
}

/** A user's profile computed straight from the events (for memory and tests). */
export function computeUserProfile(events: readonly StoredEvent[], systemId: string, userId: string, limit: number): UserProfile | null {
  const own = events.filter((e) => e.systemId === systemId);
  const canonical = identityResolver(own);
  const person = canonical(`u:${userId}`);
  const mine = own.filter((e) => {
    const actor = actorOf(e);
    return actor !== null && canonical(actor) === person;
  });
  if (mine.length === 0) return null;
  const identities = new Set<string>([person]);
  for (const e of own) {
    const actor = actorOf(e);
    if (actor && canonical(actor) === person) identities.add(actor);
  }
  for (const e of own) {
    // Linked ids that never sent an event of their own (an alias's previousId) belong too.
    for (const id of e.type === 'alias' && e.previousId ? [`a:${e.previousId}`, `u:${e.previousId}`] : e.type === 'identify' && e.anonymousId ? [`a:${e.anonymousId}`] : []) {
      if (canonical(id) === person) identities.add(id);
    }
  }
  const bySeq = [...mine].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const times = mine.map((e) => e.timestamp.getTime());
  return {
    userId,
    identities: [...identities].sort(),
    firstSeen: new Date(Math.min(...times)),
    lastSeen: new Date(Math.max(...times)),
    traits: Object.assign({}, ...bySeq.filter((e) => e.type === 'identify').map((e) => e.traits)),
    groups: [...new Set(mine.map((e) => e.groupId).filter((g): g is string => g !== null))].sort(),
    timeline: [...mine]
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (BigInt(b.seq) > BigInt(a.seq) ? 1 : -1))
      .slice(0, limit)
      .map((e) => ({ type: e.type, event: e.event ?? '', timestamp: e.timestamp, properties: e.properties })),
  };
}
