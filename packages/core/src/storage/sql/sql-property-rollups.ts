import { sql, type Kysely } from 'kysely';
import type { Database } from './database';

/** Distinct values a property of an event may have and still be counted per hour and value. */
export const MAX_ROLLUP_VALUES = 100;
// Longer names and values are never rolled up: they would bloat the keys (and could pass btree's limit).
const MAX_NAME_LENGTH = 200;
const MAX_VALUE_LENGTH = 200;

/** Whether breakdowns of this event by this property may come from the rollup at all. */
export function rollupEligible(event: string, property: string): boolean {
  return event.length <= MAX_NAME_LENGTH && property.length <= MAX_NAME_LENGTH;
}

/** One event's top-level properties, for the rollup. */
export interface PropertyOccurrence {
  systemId: string;
  event: string;
  /** Start of the event's UTC hour. */
  hour: string;
  properties: Record<string, unknown>;
}

type Candidate = { s: string; e: string; p: string; rollable: boolean; counts: Map<string, number> };

/**
 * Counts a batch's property values per (event, property, hour, value), for properties that have
 * had only scalar values of up to 200 characters and at most {@link MAX_ROLLUP_VALUES} distinct
 * ones so far. A property that breaks a rule loses its rollup for good (breakdowns of it scan the
 * events); a missing property is not counted: breakdowns derive it from the event's total.
 */
export async function applyPropertyRollups(tx: Kysely<Database>, occurrences: readonly PropertyOccurrence[]): Promise<void> {
  const candidates = new Map<string, Candidate>();
  for (const o of occurrences) {
    for (const [property, value] of Object.entries(o.properties)) {
      if (!rollupEligible(o.event, property)) continue;
      const key = `${o.systemId}\u0000${o.event}\u0000${property}`;
      let c = candidates.get(key);
      if (!c) {
        c = { s: o.systemId, e: o.event, p: property, rollable: true, counts: new Map() };
        candidates.set(key, c);
      }
      if (!c.rollable) continue;
      const json = JSON.stringify(value ?? null);
      if ((value !== null && typeof value === 'object') || json.length > MAX_VALUE_LENGTH) {
        c.rollable = false;
        continue;
      }
      const countKey = `${o.hour}\u0000${json}`;
      c.counts.set(countKey, (c.counts.get(countKey) ?? 0) + 1);
    }
  }
  if (candidates.size === 0) return;
  const keys = [...candidates.values()].map((c) => ({ s: c.s, e: c.e, p: c.p }));
  const { rows: known } = await sql<{ s: string; e: string; p: string; distinct_values: number; complete: boolean }>`
    select k.s, k.e, k.p, r.distinct_values, r.complete from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(s uuid, e text, p text)
    join read_model.property_rollups r on r.system_id = k.s and r.event = k.e and r.property = k.p`.execute(tx);
  const state = new Map(known.map((r) => [`${r.s}\u0000${r.e}\u0000${r.p}`, r]));
  const live = [...candidates.entries()].filter(([key]) => state.get(key)?.complete !== false).map(([, c]) => c);

  // New distinct values, per property.
  const values = live.filter((c) => c.rollable).flatMap((c) => [...new Set([...c.counts.keys()].map((k) => k.slice(k.indexOf('\u0000') + 1)))].map((v) => ({ s: c.s, e: c.e, p: c.p, v })));
  const added = new Map<string, number>();
  if (values.length > 0) {
    const { rows } = await sql<{ s: string; e: string; p: string }>`
      insert into read_model.property_values (system_id, event, property, value)
      select s, e, p, v::jsonb from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(s uuid, e text, p text, v text)
      on conflict do nothing returning system_id as s, event as e, property as p`.execute(tx);
    for (const r of rows) added.set(`${r.s}\u0000${r.e}\u0000${r.p}`, (added.get(`${r.s}\u0000${r.e}\u0000${r.p}`) ?? 0) + 1);
  }
  const registry = live.map((c) => {
    const key = `${c.s}\u0000${c.e}\u0000${c.p}`;
    const distinct = (state.get(key)?.distinct_values ?? 0) + (added.get(key) ?? 0);
    return { s: c.s, e: c.e, p: c.p, n: distinct, complete: c.rollable && distinct <= MAX_ROLLUP_VALUES, counts: c.counts };
  });
  await sql`insert into read_model.property_rollups as r (system_id, event, property, distinct_values, complete)
    select s, e, p, n, complete from jsonb_to_recordset(${JSON.stringify(registry.map(({ counts: _, ...r }) => r))}::jsonb)
      as x(s uuid, e text, p text, n int, complete boolean)
    on conflict (system_id, event, property) do update set distinct_values = excluded.distinct_values, complete = excluded.complete`.execute(tx);
  const dropped = registry.filter((r) => !r.complete).map(({ s, e, p }) => ({ s, e, p }));
  if (dropped.length > 0) {
    const d = JSON.stringify(dropped);
    await sql`delete from read_model.property_counts_hourly c using jsonb_to_recordset(${d}::jsonb) as x(s uuid, e text, p text)
      where c.system_id = x.s and c.event = x.e and c.property = x.p`.execute(tx);
    await sql`delete from read_model.property_values v using jsonb_to_recordset(${d}::jsonb) as x(s uuid, e text, p text)
      where v.system_id = x.s and v.event = x.e and v.property = x.p`.execute(tx);
  }
  const counts = registry
    .filter((r) => r.complete)
    .flatMap((r) =>
      [...r.counts.entries()].map(([k, n]) => {
        const cut = k.indexOf('\u0000');
        return { s: r.s, e: r.e, p: r.p, h: k.slice(0, cut), v: k.slice(cut + 1), n };
      }),
    );
  if (counts.length > 0) {
    await sql`insert into read_model.property_counts_hourly as c (system_id, event, property, hour, value, count)
      select s, e, p, h, v::jsonb, n from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as x(s uuid, e text, p text, h timestamptz, v text, n bigint)
      on conflict (system_id, event, property, hour, value) do update set count = c.count + excluded.count`.execute(tx);
  }
}
