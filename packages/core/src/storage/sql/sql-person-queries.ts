import { sql, type Kysely } from 'kysely';
import type { BreakdownQuery, FunnelQuery, UserProfile } from '../../analytics/analytics-store';
import type { Database } from './database';

/** Counts per property value, from the per-event read model. */
export async function sqlBreakdown(db: Kysely<Database>, q: BreakdownQuery): Promise<{ value: unknown; count: number }[]> {
  // A missing property and an explicit null are one group: `null`.
  const { rows } = await sql<{ value: unknown; count: string }>`
    select coalesce(properties -> ${q.property}, 'null'::jsonb) as value, count(*) as count
    from read_model.events
    where system_id = ${q.systemId} and event = ${q.event} and timestamp >= ${q.from} and timestamp < ${q.to}
    group by 1 order by 2 desc, 1::text limit ${q.limit}`.execute(db);
  return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
}

/**
 * People through each step: entering at their first `steps[0]` in the range, then each step's first
 * occurrence strictly after the previous step and within the window of the entry.
 */
export async function sqlFunnel(db: Kysely<Database>, q: FunnelQuery): Promise<{ step: string; users: number }[]> {
  const within = `${Math.round(q.withinMs)} milliseconds`;
  const steps = q.steps.map((step, i) =>
    i === 0
      ? sql`s0 as (select person, min(ts) as t, min(ts) as t0 from people where event = ${step} group by person)`
      : sql`${sql.raw(`s${i}`)} as (
          select p.person, min(p.ts) as t, prev.t0 from ${sql.raw(`s${i - 1}`)} prev
          join people p on p.person = prev.person and p.event = ${step} and p.ts > prev.t and p.ts <= prev.t0 + ${within}::interval
          group by p.person, prev.t0)`,
  );
  const counts = q.steps.map((_, i) => sql`(select count(*) from ${sql.raw(`s${i}`)}) as ${sql.raw(`c${i}`)}`);
  const { rows } = await sql<Record<string, string>>`
    with people as (
      select e.event, e.timestamp as ts, coalesce(l.canonical, e.actor) as person
      from read_model.events e
      left join read_model.identity_links l on l.system_id = e.system_id and l.actor = e.actor
      where e.system_id = ${q.systemId} and e.event = any(${q.steps}::text[]) and e.actor is not null
        and e.timestamp >= ${q.from} and e.timestamp < ${q.to}
    ), ${sql.join(steps)}
    select ${sql.join(counts)}`.execute(db);
  return q.steps.map((step, i) => ({ step, users: Number(rows[0]![`c${i}`]) }));
}

/** Everything the read models know of the person a userId belongs to. */
export async function sqlUserProfile(db: Kysely<Database>, systemId: string, userId: string, limit: number): Promise<UserProfile | null> {
  const actor = `u:${userId}`;
  const { rows: link } = await sql<{ canonical: string }>`
    select canonical from read_model.identity_links where system_id = ${systemId} and actor = ${actor}`.execute(db);
  const canonical = link[0]?.canonical ?? actor;
  const { rows: ids } = await sql<{ actor: string }>`
    select actor from read_model.identity_links where system_id = ${systemId} and canonical = ${canonical}
    union select ${canonical}`.execute(db);
  const identities = ids.map((r) => r.actor).sort();
  const { rows: summary } = await sql<{ first_seen: Date | null; last_seen: Date | null; groups: string[] | null }>`
    select min(timestamp) as first_seen, max(timestamp) as last_seen,
      array_agg(distinct group_id) filter (where group_id is not null) as groups
    from read_model.events where system_id = ${systemId} and actor = any(${identities}::text[])`.execute(db);
  if (!summary[0]?.first_seen) return null;
  const { rows: identifies } = await sql<{ traits: Record<string, unknown> }>`
    select traits from read_model.events where system_id = ${systemId} and actor = any(${identities}::text[]) and type = 'identify'
    order by seq`.execute(db);
  const { rows: timeline } = await sql<{ type: string; event: string; timestamp: Date; properties: Record<string, unknown> }>`
    select type, event, timestamp, properties from read_model.events
    where system_id = ${systemId} and actor = any(${identities}::text[])
    order by timestamp desc, seq desc limit ${limit}`.execute(db);
  return {
    userId,
    identities,
    firstSeen: summary[0].first_seen,
    lastSeen: summary[0].last_seen!,
    traits: Object.assign({}, ...identifies.map((r) => r.traits)),
    groups: (summary[0].groups ?? []).sort(),
    timeline,
  };
}
