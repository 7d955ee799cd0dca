import { sql, type Kysely } from 'kysely';
import type {
  AnalyticsStore,
  BreakdownQuery,
  FunnelQuery,
  ProjectionStatus,
  TimeseriesPoint,
  TimeseriesQuery,
  TopEventsQuery,
} from '../../analytics/analytics-store';
import { sqlBreakdown, sqlFunnel, sqlUserProfile } from './sql-person-queries';
import type { Database } from './database';

const DAY = 86_400_000;
/** Events behind the checkpoint counted one by one; more are estimated (see `status`). */
export const COUNTED_BEHIND = 10_000;

/** Analytics answered from the read models on PostgreSQL and PGlite. */
export class SqlAnalyticsStore implements AnalyticsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * From the hourly activity numbers: ≤ 24 rows per day of range. A bucket's unique people are
   * each hour's people minus those active again within (hour − bucket start) hours: see
   * activity-gaps.ts. An hour bucket is the UTC hour (zones are whole hours from UTC), so the local
   * hour repeated when clocks go back is two buckets. A day bucket starts at its local midnight,
   * the earlier instant when midnight happens twice (PostgreSQL reads an ambiguous local time as the
   * later one, which would start the bucket after its first hour).
   */
  async timeseries(q: TimeseriesQuery): Promise<TimeseriesPoint[]> {
    const source =
      q.event === undefined
        ? sql`select hour, events, people, gaps from read_model.activity_hourly
            where system_id = ${q.systemId} and hour >= ${q.from} and hour < ${q.to}`
        : sql`select hour, events, people, gaps from read_model.event_activity_hourly
            where system_id = ${q.systemId} and event = ${q.event} and hour >= ${q.from} and hour < ${q.to}`;
    const bucket =
      q.interval === 'hour'
        ? sql`h.hour`
        : sql`case when (midnight.at - interval '1 hour') at time zone ${q.tz} = day.local then midnight.at - interval '1 hour' else midnight.at end`;
    const { rows } = await sql<{ bucket: Date; count: string; unique_users: string }>`
      select bucket, sum(events) as count,
        sum(people - coalesce((select sum(g) from unnest(gaps[1:floor(extract(epoch from hour - greatest(bucket, ${q.from}::timestamptz)) / 3600)::int]) g), 0)) as unique_users
      from (
        select h.*, ${bucket} as bucket from (${source}) h
        cross join lateral (select date_trunc('day', h.hour at time zone ${q.tz}) as local) day
        cross join lateral (select day.local at time zone ${q.tz} as at) midnight
      ) x
      group by bucket order by bucket`.execute(this.db);
    return rows.map((r) => ({ bucket: new Date(r.bucket), count: Number(r.count), uniqueUsers: Number(r.unique_users) }));
  }

  /** Whole UTC days from the daily counts, the hours at either end from the hourly ones. */
  async topEvents(q: TopEventsQuery): Promise<{ event: string; count: number }[]> {
    const firstDay = new Date(Math.ceil(q.from.getTime() / DAY) * DAY);
    const endDay = new Date(Math.floor(q.to.getTime() / DAY) * DAY);
    const hourly = (from: Date, to: Date) => sql`select event, count from read_model.event_counts_hourly
      where system_id = ${q.systemId} and type = 'track' and hour >= ${from} and hour < ${to}`;
    const parts =
      firstDay < endDay
        ? sql`${hourly(q.from, firstDay)} union all ${hourly(endDay, q.to)} union all
            select event, count from read_model.event_counts_daily
            where system_id = ${q.systemId} and type = 'track' and day >= ${firstDay} and day < ${endDay}`
        : hourly(q.from, q.to);
    const { rows } = await sql<{ event: string; count: string }>`
      select event, sum(count) as count from (${parts}) c
      group by event order by sum(count) desc, event collate "C" limit ${q.limit}`.execute(this.db);
    return rows.map((r) => ({ event: r.event, count: Number(r.count) }));
  }

  breakdown(q: BreakdownQuery) {
    return sqlBreakdown(this.db, q);
  }

  funnel(q: FunnelQuery) {
    return sqlFunnel(this.db, q);
  }

  userProfile(systemId: string, userId: string, limit: number) {
    return sqlUserProfile(this.db, systemId, userId, limit);
  }

  /**
   * The checkpoint, then the events committed after it and when the first of them was received
   * (one index probe): counted up to {@link COUNTED_BEHIND}, and
   * beyond that estimated from the log's sequence numbers, as counting millions of index entries
   * (a rebuild, a long outage of the projector) took seconds on every answer. Two statements, so
   * the count is planned with the checkpoint's values: planned with them unknown, PostgreSQL
   * expected a third of the log to be behind and started parallel workers, ~10 ms on every answer
   * even with nothing behind.
   */
  async status(): Promise<ProjectionStatus> {
    const { rows: checkpoint } = await sql<{ tx_id: string; seq: string; projected_events: string; last_event_received_at: Date | null; rebuilds: string }>`
      select tx_id::text, seq, projected_events, last_event_received_at, rebuilds
      from read_model.projection_checkpoints where name = 'main'`.execute(this.db);
    const cp = checkpoint[0];
    const after = sql`(e.tx_id, e.seq) > (${cp?.tx_id ?? '0'}::xid8, ${cp?.seq ?? 0}::bigint)`;
    const { rows: counted } = await sql<{ count: string; waiting_since: Date | null }>`
      select (select count(*) from (select from write_model.tracking_events e where ${after} limit ${COUNTED_BEHIND + 1}) behind) as count,
        (select e.received_at from write_model.tracking_events e where ${after} order by e.tx_id, e.seq limit 1) as waiting_since`.execute(this.db);
    let behindEvents = Number(counted[0]!.count);
    if (behindEvents > COUNTED_BEHIND) {
      // Sequence numbers past the checkpoint's: retried duplicates and rolled-back writes leave gaps.
      const { rows: newest } = await sql<{ seq: string | null }>`select max(seq) as seq from write_model.tracking_events`.execute(this.db);
      behindEvents = Math.max(behindEvents, Number(newest[0]!.seq ?? 0) - Number(cp?.seq ?? 0));
    }
    return {
      projectedEvents: Number(cp?.projected_events ?? 0),
      behindEvents,
      projectedThrough: cp?.last_event_received_at ?? null,
      waitingSince: behindEvents > 0 ? counted[0]!.waiting_since : null,
      rebuilds: Number(cp?.rebuilds ?? 0),
    };
  }
}
