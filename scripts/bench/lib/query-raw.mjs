// The query benchmark's baseline: the same answers as storage.analytics.*, computed with plain SQL over
// the WRITE model only (write_model.tracking_events, which has no index for any of these questions).
// Same rules as the read models (range [from, to), an event's name is coalesce(event, ''), actor is
// userId else anonymousId, zone-cut buckets, funnel entering at the first step-0 event) with one
// deliberate difference: no identity merging. A person here is `u:<userId>` or `a:<anonymousId>` as
// stored on the event; the read models merge ids linked by identify/alias (transitively).
const ACTOR = `coalesce('u:' || user_id, 'a:' || anonymous_id)`;

export async function rawTimeseries(c, q) {
  const bucket = `date_trunc($4::text, timestamp at time zone $5::text) at time zone $5::text`;
  const params = [q.systemId, q.from, q.to, q.interval, q.tz];
  if (q.event !== undefined) params.push(q.event);
  const { rows } = await c.query(
    `select ${bucket} as bucket, count(*) as count, count(distinct ${ACTOR}) as unique_users
     from write_model.tracking_events
     where system_id = $1 and timestamp >= $2 and timestamp < $3 ${q.event === undefined ? '' : `and coalesce(event, '') = $6`}
     group by 1 order by 1`,
    params,
  );
  return rows.map((r) => ({ bucket: new Date(r.bucket), count: Number(r.count), uniqueUsers: Number(r.unique_users) }));
}

export async function rawTopEvents(c, q) {
  const { rows } = await c.query(
    `select coalesce(event, '') as event, count(*) as count from write_model.tracking_events
     where system_id = $1 and type = 'track' and timestamp >= $2 and timestamp < $3
     group by 1 order by count(*) desc, 1 limit $4`,
    [q.systemId, q.from, q.to, q.limit],
  );
  return rows.map((r) => ({ event: r.event, count: Number(r.count) }));
}

export async function rawBreakdown(c, q) {
  const { rows } = await c.query(
    `select coalesce(properties -> $2::text, 'null'::jsonb) as value, count(*) as count
     from write_model.tracking_events
     where system_id = $1 and coalesce(event, '') = $3 and timestamp >= $4 and timestamp < $5
     group by 1 order by 2 desc, 1::text limit $6`,
    [q.systemId, q.property, q.event, q.from, q.to, q.limit],
  );
  return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
}

/** The read model's funnel, step for step, over the write model (people = unmerged ids). */
export async function rawFunnel(c, q) {
  const n = q.steps.length;
  const stepParam = (i) => `$${6 + i}`;
  const ctes = q.steps.map((_, i) =>
    i === 0
      ? `s0 as (select person, min(ts) as t, min(ts) as t0 from people where event = ${stepParam(0)} group by person)`
      : `s${i} as (select p.person, min(p.ts) as t, prev.t0 from s${i - 1} prev
          join people p on p.person = prev.person and p.event = ${stepParam(i)} and p.ts > prev.t and p.ts <= prev.t0 + $5::interval
          group by p.person, prev.t0)`,
  );
  const counts = q.steps.map((_, i) => `(select count(*) from s${i}) as c${i}`);
  const { rows } = await c.query(
    `with people as (
       select coalesce(event, '') as event, timestamp as ts, ${ACTOR} as person
       from write_model.tracking_events
       where system_id = $1 and coalesce(event, '') = any($2::text[]) and (user_id is not null or anonymous_id is not null)
         and timestamp >= $3 and timestamp < $4
     ), ${ctes.join(', ')}
     select ${counts.join(', ')}`,
    [q.systemId, q.steps, q.from, q.to, `${Math.round(q.withinMs)} milliseconds`, ...q.steps],
  );
  return Array.from({ length: n }, (_, i) => ({ step: q.steps[i], users: Number(rows[0][`c${i}`]) }));
}

/**
 * A profile from the write model by user_id / anonymous_id lookups: the ids this user was linked to by
 * its own identify (anonymousId) and alias (previousId) calls — one hop, no transitive merge — then
 * every event of those ids, read once (materialized) for the summary, traits and timeline.
 */
export async function rawUserProfile(c, systemId, userId, limit) {
  const { rows: links } = await c.query(
    `select distinct type, anonymous_id, previous_id from write_model.tracking_events
     where system_id = $1 and user_id = $2
       and ((type = 'identify' and anonymous_id is not null) or (type = 'alias' and previous_id is not null))`,
    [systemId, userId],
  );
  const userIds = [userId];
  const anonymousIds = [];
  for (const l of links) {
    if (l.type === 'identify') anonymousIds.push(l.anonymous_id);
    else {
      userIds.push(l.previous_id);
      anonymousIds.push(l.previous_id);
    }
  }
  const { rows } = await c.query(
    `with mine as materialized (
       select seq, type, coalesce(event, '') as event, timestamp, properties, traits, group_id
       from write_model.tracking_events
       where system_id = $1 and (user_id = any($2::text[]) or (user_id is null and anonymous_id = any($3::text[])))
     )
     select (select min(timestamp) from mine) as first_seen, (select max(timestamp) from mine) as last_seen,
       (select array_agg(distinct group_id) filter (where group_id is not null) from mine) as groups,
       (select coalesce(jsonb_agg(traits order by seq), '[]'::jsonb) from mine where type = 'identify') as identifies,
       (select coalesce(jsonb_agg(jsonb_build_object('type', type, 'event', event, 'timestamp', timestamp, 'properties', properties)
          order by timestamp desc, seq desc), '[]'::jsonb)
        from (select * from mine order by timestamp desc, seq desc limit $4) t) as timeline`,
    [systemId, userIds, anonymousIds, limit],
  );
  const r = rows[0];
  if (!r.first_seen) return null;
  return {
    userId,
    identities: [...new Set([...userIds.map((id) => `u:${id}`), ...anonymousIds.map((id) => `a:${id}`)])].sort(),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    traits: Object.assign({}, ...r.identifies),
    groups: (r.groups ?? []).sort(),
    timeline: r.timeline.map((e) => ({ ...e, timestamp: new Date(e.timestamp) })),
  };
}

/**
 * One page of a filtered listing as the write model alone answers it (what storage.events.list did
 * before the read side indexed listings): newest first by seq, keyset cursor, the filter on columns
 * the write model has no index for.
 */
export async function rawListEvents(c, systemId, filter, limit, beforeSeq) {
  const [[column, value]] = Object.entries(filter);
  const params = [systemId, value, limit];
  if (beforeSeq !== undefined) params.push(beforeSeq);
  const { rows } = await c.query(
    `select * from write_model.tracking_events where system_id = $1 and ${column} = $2 ${beforeSeq === undefined ? '' : 'and seq < $4'}
     order by seq desc limit $3`,
    params,
  );
  return rows;
}
