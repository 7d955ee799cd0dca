import { sql, type Kysely, type Migration } from 'kysely';

const PERSON_EVENT_PARTITIONS = 32;

const statements = [
  // A number per person (canonical id, see identity_links): joins on it are cheaper than on text.
  sql`create table read_model.people (
    system_id uuid not null,
    person text not null,
    id bigint generated always as identity,
    primary key (system_id, person)
  )`,
  // Every occurrence of an event name per person, sorted: a funnel step is a binary search
  // (width_bucket) in one row per person instead of a join over every event. The projector moves
  // a person's rows when identify or alias merges them into another person. Partitioned by event
  // name so that one name's rows share pages: a funnel step reads ~1/32 of the table, not all of it.
  sql`create table read_model.person_events (
    system_id uuid not null,
    event text not null,
    person_id bigint not null,
    timestamps timestamptz[] not null,
    primary key (system_id, event, person_id)
  ) partition by hash (event)`,
  ...Array.from({ length: PERSON_EVENT_PARTITIONS }, (_, i) =>
    sql.raw(`create table read_model.person_events_${i} partition of read_model.person_events
      for values with (modulus ${PERSON_EVENT_PARTITIONS}, remainder ${i})`),
  ),
  sql`create index person_events_by_person on read_model.person_events (system_id, person_id)`,
  // Each person's active hours (hours since the epoch, sorted, distinct), whatever the event.
  sql`create table read_model.person_hours (
    system_id uuid not null,
    person_id bigint not null,
    hours integer[] not null,
    primary key (system_id, person_id)
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
  // Filtered event listings page by seq through these indexes (a userId is the actor `u:<userId>`),
  // plus the not yet projected tail of the write model, so the write model keeps only the indexes
  // ingestion needs.
  sql`alter table read_model.events add column anonymous_id text, add column valid boolean not null default true`,
  sql`create index read_events_list_by_event on read_model.events (system_id, event, seq)`,
  // A profile's groups and traits come from these few events, not from every event of the person.
  sql`create index read_events_groups on read_model.events (system_id, actor) where group_id is not null`,
  sql`create index read_events_identifies on read_model.events (system_id, actor, seq) where type = 'identify'`,
  sql`create index read_events_list_by_anonymous on read_model.events (system_id, anonymous_id, seq) where anonymous_id is not null`,
  // Replaced by activity_hourly and event_activity_hourly.
  sql`drop table read_model.user_activity_hourly`,
  // The new read models start empty: project everything again (the write model is untouched).
  sql`truncate read_model.event_counts_hourly, read_model.identity_links, read_model.events`,
  sql`update read_model.projection_checkpoints
    set tx_id = '0'::xid8, seq = 0, projected_events = 0, last_event_received_at = null, updated_at = now()`,
];

/**
 * Read models for millisecond analytics: per-person occurrences, hourly gap numbers, daily counts,
 * property rollups, and indexes for filtered event listings.
 */
export const analyticsRollups: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
};
