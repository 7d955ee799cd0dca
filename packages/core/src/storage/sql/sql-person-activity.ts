import { sql, type Kysely } from 'kysely';
import { addGapDelta, GAP_CLASSES, hourNumber, unionHours, type ActivityDelta } from '../../analytics/activity-gaps';
import type { Database } from './database';

/**
 * What a batch changes in the hourly activity numbers: `all` per (system, hour), `byEvent` per
 * (system, hour, event name); `events` counts events under both kinds of keys.
 */
export interface ActivityStats {
  all: ActivityDelta;
  byEvent: ActivityDelta;
  events: Map<string, number>;
}

/** An event as the per-person read models see it: who (after identity merges), what, when. */
export interface PersonOccurrence {
  systemId: string;
  event: string;
  person: string | null;
  timestamp: Date;
}

const SEP = '\u0000';
export const allKey = (systemId: string, hour: number) => `${systemId}${SEP}${hour}`;
// PostgreSQL text cannot hold NUL, so it cannot occur inside an event name.
export const eventKey = (systemId: string, hour: number, event: string) => `${systemId}${SEP}${hour}${SEP}${event}`;

export const personKey = (systemId: string, person: string) => `${systemId}${SEP}${person}`;

export function emptyStats(): ActivityStats {
  return { all: new Map(), byEvent: new Map(), events: new Map() };
}

// Hours since the epoch of a timestamptz expression, as the gap numbers count them.
const hourOf = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) / 3600)::int`;

/**
 * The number of each person, numbering those seen for the first time. Keys are `system\u0000person`
 * ({@link personKey}); ids are bigint text.
 */
export async function personIds(tx: Kysely<Database>, people: readonly { systemId: string; person: string }[]): Promise<Map<string, string>> {
  const wanted = new Map(people.map((p) => [`${p.systemId}${SEP}${p.person}`, { s: p.systemId, p: p.person }]));
  const ids = new Map<string, string>();
  if (wanted.size === 0) return ids;
  // The join sees the rows from before this statement; `added` returns the new ones.
  const { rows } = await sql<{ s: string; p: string; id: string }>`
    with wanted as (select * from jsonb_to_recordset(${JSON.stringify([...wanted.values()])}::jsonb) as w(s uuid, p text)),
    added as (
      insert into read_model.people (system_id, person) select s, p from wanted
      on conflict do nothing returning system_id as s, person as p, id
    )
    select s, p, id from added
    union all
    select w.s, w.p, pe.id from wanted w join read_model.people pe on pe.system_id = w.s and pe.person = w.p`.execute(tx);
  for (const r of rows) ids.set(`${r.s}${SEP}${r.p}`, String(r.id));
  return ids;
}

/**
 * Moves the rows of merged persons to the person they merged into, and records how the hourly
 * numbers change: hours both had count once, and gaps close up. Loads each merged person fully and
 * the surviving person only around those hours.
 */
export async function mergePeople(
  tx: Kysely<Database>,
  merges: readonly { systemId: string; member: string; root: string }[],
  ids: ReadonlyMap<string, string>,
  stats: ActivityStats,
): Promise<void> {
  if (merges.length === 0) return;
  const idOf = (systemId: string, person: string) => ids.get(`${systemId}${SEP}${person}`)!;
  const m = JSON.stringify(merges.map((x) => ({ s: x.systemId, m: idOf(x.systemId, x.member), r: idOf(x.systemId, x.root) })));
  const { rows: perEvent } = await sql<{ s: string; r: string; event: string; root: boolean; hours: number[] }>`
    with m as (select * from jsonb_to_recordset(${m}::jsonb) as m(s uuid, m bigint, r bigint)),
    mem as (
      select m.s, m.r, p.event, array(select distinct ${hourOf('t')} from unnest(p.timestamps) t order by 1) as hours
      from m join read_model.person_events p on p.system_id = m.s and p.person_id = m.m
    ), w as (select s, r, event, min(hours[1]) as lo, max(hours[cardinality(hours)]) as hi from mem group by 1, 2, 3)
    select s, r, event, false as root, hours from mem
    union all
    select w.s, w.r, w.event, true, array(select distinct ${hourOf('t')} from unnest(p.timestamps) t
        where t >= to_timestamp((w.lo - ${GAP_CLASSES}) * 3600.0) and t < to_timestamp((w.hi + ${GAP_CLASSES + 1}) * 3600.0) order by 1)
    from w join read_model.person_events p on p.system_id = w.s and p.person_id = w.r and p.event = w.event`.execute(tx);
  mergeDeltas(perEvent, (r) => `${r.s}${SEP}${r.r}${SEP}${r.event}`, (r, hour) => eventKey(r.s, hour, r.event), stats.byEvent);
  const { rows: all } = await sql<{ s: string; r: string; root: boolean; hours: number[] }>`
    with m as (select * from jsonb_to_recordset(${m}::jsonb) as m(s uuid, m bigint, r bigint)),
    mem as (select m.s, m.r, p.hours from m join read_model.person_hours p on p.system_id = m.s and p.person_id = m.m),
    w as (select s, r, min(hours[1]) as lo, max(hours[cardinality(hours)]) as hi from mem group by 1, 2)
    select s, r, false as root, hours from mem
    union all
    select w.s, w.r, true, array(select h from unnest(p.hours) h where h between w.lo - ${GAP_CLASSES} and w.hi + ${GAP_CLASSES} order by h)
    from w join read_model.person_hours p on p.system_id = w.s and p.person_id = w.r`.execute(tx);
  mergeDeltas(all, (r) => `${r.s}${SEP}${r.r}`, (r, hour) => allKey(r.s, hour), stats.all);

  await sql`with m as (select * from jsonb_to_recordset(${m}::jsonb) as m(s uuid, m bigint, r bigint)),
    moved as (
      delete from read_model.person_events p using m where p.system_id = m.s and p.person_id = m.m
      returning p.system_id, m.r, p.event, p.timestamps
    ), grouped as (
      select system_id, r, event, array_agg(t order by t) as timestamps from moved, unnest(moved.timestamps) t group by 1, 2, 3
    )
    insert into read_model.person_events as p (system_id, event, person_id, timestamps)
    select system_id, event, r, timestamps from grouped
    on conflict (system_id, event, person_id) do update
      set timestamps = array(select t from unnest(p.timestamps || excluded.timestamps) t order by t)`.execute(tx);
  await sql`with m as (select * from jsonb_to_recordset(${m}::jsonb) as m(s uuid, m bigint, r bigint)),
    moved as (
      delete from read_model.person_hours p using m where p.system_id = m.s and p.person_id = m.m
      returning p.system_id, m.r, p.hours
    ), grouped as (
      select system_id, r, array_agg(distinct h order by h) as hours from moved, unnest(moved.hours) h group by 1, 2
    )
    insert into read_model.person_hours as p (system_id, person_id, hours)
    select system_id, r, hours from grouped
    on conflict (system_id, person_id) do update
      set hours = array(select distinct h from unnest(p.hours || excluded.hours) h order by h)`.execute(tx);
}

// Groups the loaded sequences by surviving person (and event): members whole, the root's window.
function mergeDeltas<R extends { root: boolean; hours: number[] }>(
  rows: readonly R[],
  groupOf: (r: R) => string,
  keyOf: (r: R, hour: number) => string,
  out: ActivityDelta,
): void {
  const groups = new Map<string, { sample: R; root: number[]; members: number[][] }>();
  for (const r of rows) {
    const g = groups.get(groupOf(r)) ?? { sample: r, root: [], members: [] };
    if (r.root) g.root = r.hours.map(Number);
    else if (r.hours.length > 0) g.members.push(r.hours.map(Number));
    groups.set(groupOf(r), g);
  }
  for (const g of groups.values()) {
    if (g.members.length === 0) continue;
    const lo = Math.min(...g.members.map((s) => s[0]!));
    const hi = Math.max(...g.members.map((s) => s.at(-1)!)) + GAP_CLASSES;
    addGapDelta(out, (hour) => keyOf(g.sample, hour), [g.root, ...g.members], unionHours(g.root, ...g.members), lo, hi);
  }
}

/**
 * Adds a batch's occurrences to the per-person read models (persons already resolved), and records
 * the change in the hourly numbers. Loads each touched row only around the batch's hours.
 */
export async function addOccurrences(
  tx: Kysely<Database>,
  occurrences: readonly PersonOccurrence[],
  ids: ReadonlyMap<string, string>,
  stats: ActivityStats,
): Promise<void> {
  const perEvent = new Map<string, { s: string; e: string; p: string; ts: Date[]; hours: Set<number> }>();
  const perPerson = new Map<string, { s: string; p: string; hours: Set<number> }>();
  for (const o of occurrences) {
    const hour = hourNumber(o.timestamp.getTime());
    stats.events.set(allKey(o.systemId, hour), (stats.events.get(allKey(o.systemId, hour)) ?? 0) + 1);
    stats.events.set(eventKey(o.systemId, hour, o.event), (stats.events.get(eventKey(o.systemId, hour, o.event)) ?? 0) + 1);
    if (o.person === null) continue;
    const ek = `${o.systemId}${SEP}${o.event}${SEP}${o.person}`;
    const e = perEvent.get(ek) ?? { s: o.systemId, e: o.event, p: o.person, ts: [], hours: new Set<number>() };
    e.ts.push(o.timestamp);
    e.hours.add(hour);
    perEvent.set(ek, e);
    const pk = `${o.systemId}${SEP}${o.person}`;
    const p = perPerson.get(pk) ?? { s: o.systemId, p: o.person, hours: new Set<number>() };
    p.hours.add(hour);
    perPerson.set(pk, p);
  }
  if (perEvent.size === 0) return;
  const idOf = (systemId: string, person: string) => ids.get(`${systemId}${SEP}${person}`)!;
  const events = [...perEvent.values()].map((e) => ({ ...e, p: idOf(e.s, e.p), added: [...e.hours].sort((a, b) => a - b) }));
  const people = [...perPerson.values()].map((p) => ({ ...p, p: idOf(p.s, p.p), added: [...p.hours].sort((a, b) => a - b) }));

  // Each statement reads the rows' old hours around the batch's hours and upserts them: every part
  // of a WITH query sees the snapshot from before the statement, so `old` is the state before `up`.
  const eventRows = events.map((e, i) => ({
    i,
    s: e.s,
    e: e.e,
    p: e.p,
    ts: e.ts.sort((a, b) => a.getTime() - b.getTime()),
    lo: e.added[0]! - GAP_CLASSES,
    hi: e.added.at(-1)! + GAP_CLASSES,
  }));
  const { rows: eventWindows } = await sql<{ i: number; hours: number[] }>`
    with r as (select * from jsonb_to_recordset(${JSON.stringify(eventRows)}::jsonb) as r(i int, s uuid, e text, p bigint, ts timestamptz[], lo int, hi int)),
    old as (
      select r.i, array(select distinct ${hourOf('t')} from unnest(p.timestamps[
          width_bucket(to_timestamp(r.lo * 3600.0) - interval '1 microsecond', p.timestamps) + 1 :
          width_bucket(to_timestamp((r.hi + 1) * 3600.0) - interval '1 microsecond', p.timestamps)]) t order by 1) as hours
      from r join read_model.person_events p on p.system_id = r.s and p.event = r.e and p.person_id = r.p
    ), up as (
      insert into read_model.person_events as p (system_id, event, person_id, timestamps)
      select s, e, p, ts from r
      on conflict (system_id, event, person_id) do update set timestamps = case
        when excluded.timestamps[1] >= p.timestamps[cardinality(p.timestamps)] then p.timestamps || excluded.timestamps
        else array(select t from unnest(p.timestamps || excluded.timestamps) t order by t) end
    )
    select i, hours from old`.execute(tx);
  const oldEvent = new Map(eventWindows.map((w) => [Number(w.i), w.hours.map(Number)]));
  events.forEach((e, i) => {
    const old = oldEvent.get(i) ?? [];
    addGapDelta(stats.byEvent, (hour) => eventKey(e.s, hour, e.e), [old], unionHours(old, e.added), e.added[0]!, e.added.at(-1)! + GAP_CLASSES);
  });

  const personRows = people.map((p, i) => ({ i, s: p.s, p: p.p, h: p.added, lo: p.added[0]! - GAP_CLASSES, hi: p.added.at(-1)! + GAP_CLASSES }));
  const { rows: personWindows } = await sql<{ i: number; hours: number[] }>`
    with r as (select * from jsonb_to_recordset(${JSON.stringify(personRows)}::jsonb) as r(i int, s uuid, p bigint, h int[], lo int, hi int)),
    old as (
      select r.i, p.hours[width_bucket(r.lo - 1, p.hours) + 1 : width_bucket(r.hi, p.hours)] as hours
      from r join read_model.person_hours p on p.system_id = r.s and p.person_id = r.p
    ), up as (
      insert into read_model.person_hours as p (system_id, person_id, hours)
      select s, p, h from r
      on conflict (system_id, person_id) do update set hours = case
        when excluded.hours[1] > p.hours[cardinality(p.hours)] then p.hours || excluded.hours
        else array(select distinct h from unnest(p.hours || excluded.hours) h order by h) end
    )
    select i, hours from old`.execute(tx);
  const oldPerson = new Map(personWindows.map((w) => [Number(w.i), w.hours.map(Number)]));
  people.forEach((p, i) => {
    const old = oldPerson.get(i) ?? [];
    addGapDelta(stats.all, (hour) => allKey(p.s, hour), [old], unionHours(old, p.added), p.added[0]!, p.added.at(-1)! + GAP_CLASSES);
  });
}

/** Writes the accumulated changes of the hourly numbers. */
export async function writeActivityStats(tx: Kysely<Database>, stats: ActivityStats): Promise<void> {
  const zero = new Array<number>(GAP_CLASSES).fill(0);
  const rowsOf = (delta: ActivityDelta, prefixOf: (key: string) => boolean) => {
    const keys = new Set([...delta.keys(), ...[...stats.events.keys()].filter(prefixOf)]);
    return [...keys].flatMap((key) => {
      const d = delta.get(key);
      const events = stats.events.get(key) ?? 0;
      if (events === 0 && (!d || (d.people === 0 && d.gaps.every((g) => g === 0)))) return [];
      const [s, h, e] = key.split(SEP);
      return [{ s, h: Number(h), e, ev: events, pe: d?.people ?? 0, g: d?.gaps ?? zero }];
    });
  };
  const all = rowsOf(stats.all, (k) => k.split(SEP).length === 2);
  if (all.length > 0) {
    await sql`insert into read_model.activity_hourly as a (system_id, hour, events, people, gaps)
      select s, to_timestamp(h * 3600.0), ev, pe, g from jsonb_to_recordset(${JSON.stringify(all)}::jsonb) as r(s uuid, h int, ev bigint, pe int, g int[])
      on conflict (system_id, hour) do update set events = a.events + excluded.events, people = a.people + excluded.people,
        gaps = array(select x + y from unnest(a.gaps, excluded.gaps) with ordinality as u(x, y, i) order by i)`.execute(tx);
  }
  const byEvent = rowsOf(stats.byEvent, (k) => k.split(SEP).length === 3);
  if (byEvent.length > 0) {
    await sql`insert into read_model.event_activity_hourly as a (system_id, event, hour, events, people, gaps)
      select s, e, to_timestamp(h * 3600.0), ev, pe, g from jsonb_to_recordset(${JSON.stringify(byEvent)}::jsonb) as r(s uuid, e text, h int, ev bigint, pe int, g int[])
      on conflict (system_id, event, hour) do update set events = a.events + excluded.events, people = a.people + excluded.people,
        gaps = array(select x + y from unnest(a.gaps, excluded.gaps) with ordinality as u(x, y, i) order by i)`.execute(tx);
  }
}
