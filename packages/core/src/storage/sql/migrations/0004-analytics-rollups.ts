import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  // Every occurrence of an event name per person, sorted: a funnel step is a binary search
  // (width_bucket) in one row per person instead of a join over every event. `person` is the
  // canonical id (identity_links); the projector moves a person's rows when identify or alias merges them.
  sql`create table read_model.person_events (
    system_id uuid not null,
    event text not null,
    person text not null,
    timestamps timestamptz[] not null,
    primary key (system_id, event, person)
  )`,
  sql`create index person_events_by_person on read_model.person_events (system_id, person)`,
  // Each person's active hours (hours since the epoch, sorted, distinct), whatever the event.
  sql`create table read_model.person_hours (
    system_id uuid not null,
    person text not null,
    hours integer[] not null,
    primary key (system_id, person)
  )`,
  // Per hour: events, people active, and people per gap since their previous active hour (1…24 h):
  // exact unique people of any hour or day bucket, in any whole-hour zone (see activity-gaps.ts).
  sql`create table read_model.activity_hourly (
    system_id uuid not null,
    hour timestamptz not null,
    events bigint not null,
    people integer not null,
    gaps integer[] not null,
    primary key (system_id, hour)
  )`,
  sql`create table read_model.event_activity_hourly (
    system_id uuid not null,
    event text not null,
    hour timestamptz not null,
    events bigint not null,
    people integer not null,
    gaps integer[] not null,
    primary key (system_id, event, hour)
  )`,
  // UTC days of event_counts_hourly, so a month of top events reads ~30 rows per name.
  sql`create table read_model.event_counts_daily (
    system_id uuid not null,
    day timestamptz not null,
    type text not null,
    event text not null,
    count bigint not null,
    primary key (system_id, day, type, event)
  )`,
  // Breakdowns: per hour counts of each value of each top-level property, kept while a property
  // of an event has at most a few distinct values (property_rollups.complete); others are scanned.
  sql`create table read_model.property_rollups (
    system_id uuid not null,
    event text not null,
    property text not null,
    distinct_values integer not null,
    complete boolean not null,
    primary key (system_id, event, property)
  )`,
  sql`create table read_model.property_values (
    system_id uuid not null,
    event text not null,
    property text not null,
    value jsonb not null,
    primary key (system_id, event, property, value)
  )`,
  sql`create table read_model.property_counts_hourly (
    system_id uuid not null,
    event text not null,
    property text not null,
    hour timestamptz not null,
    value jsonb not null,
    count bigint not null,
    primary key (system_id, event, property, hour, value)
  )`,
  // Replaced by activity_hourly and event_activity_hourly.
  sql`drop table read_model.user_activity_hourly`,
  // The new read models start empty: project everything again (the write model is untouched).
  sql`truncate read_model.event_counts_hourly, read_model.identity_links, read_model.events`,
  sql`update read_model.projection_checkpoints
    set tx_id = '0'::xid8, seq = 0, projected_events = 0, last_event_received_at = null, updated_at = now()`,
];

/** Read models for millisecond analytics: per-person occurrences, hourly gap numbers, daily counts, property rollups. */
export const analyticsRollups: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
};
