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

/** Analytics answered from the read models on PostgreSQL and PGlite. */
export class SqlAnalyticsStore implements AnalyticsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async timeseries(q: TimeseriesQuery): Promise<TimeseriesPoint[]> {
    const eventFilter = (column: string) => (q.event === undefined ? sql`` : sql`and ${sql.ref(column)} = ${q.event}`);
    // Buckets are cut in the caller's zone: hour starts are shifted to local time, truncated, and
    // shifted back, so a day bucket in New York starts at its local midnight.
    const bucket = (column: string) => sql`date_trunc(${q.interval}, ${sql.ref(column)} at time zone ${q.tz}) at time zone ${q.tz}`;
    const { rows } = await sql<{ bucket: Date; count: string; unique_users: string | null }>`
      with counts as (
        select ${bucket('hour')} as bucket, sum(count) as count
        from read_model.event_counts_hourly
        where system_id = ${q.systemId} and hour >= ${q.from} and hour < ${q.to} ${eventFilter('event')}
        group by 1
      ), uniques as (
        select ${bucket('a.hour')} as bucket, count(distinct coalesce(l.canonical, a.actor)) as unique_users
        from read_model.user_activity_hourly a
        left join read_model.identity_links l on l.system_id = a.system_id and l.actor = a.actor
        where a.system_id = ${q.systemId} and a.hour >= ${q.from} and a.hour < ${q.to} ${eventFilter('a.event')}
        group by 1
      )
      select c.bucket, c.count, u.unique_users from counts c left join uniques u on u.bucket = c.bucket
      order by c.bucket`.execute(this.db);
    return rows.map((r) => ({ bucket: new Date(r.bucket), count: Number(r.count), uniqueUsers: Number(r.unique_users ?? 0) }));
  }

  async topEvents(q: TopEventsQuery): Promise<{ event: string; count: number }[]> {
    const { rows } = await sql<{ event: string; count: string }>`
      select event, sum(count) as count from read_model.event_counts_hourly
      where system_id = ${q.systemId} and type = 'track' and hour >= ${q.from} and hour < ${q.to}
      group by event order by sum(count) desc, event limit ${q.limit}`.execute(this.db);
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

  async status(): Promise<ProjectionStatus> {
    const { rows } = await sql<{ projected: string | null; through: Date | null; behind: string }>`
      with cp as (select tx_id, seq, projected_events, last_event_received_at from read_model.projection_checkpoints where name = 'main')
      select (select projected_events from cp) as projected, (select last_event_received_at from cp) as through,
        (select count(*) from write_model.tracking_events e
          where (e.tx_id, e.seq) > (coalesce((select tx_id from cp), '0'::xid8), coalesce((select seq from cp), 0))) as behind`.execute(this.db);
    const row = rows[0]!;
    return { projectedEvents: Number(row.projected ?? 0), behindEvents: Number(row.behind), projectedThrough: row.through };
  }
}
