import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  // The writing transaction's id: the projector reads in (tx_id, seq) order up to the oldest running
  // transaction, because sequence values are handed out before commit and commit out of order.
  sql`alter table write_model.tracking_events add column tx_id xid8 not null default pg_current_xact_id()`,
  sql`create index tracking_events_tx_seq on write_model.tracking_events (tx_id, seq)`,
  sql`create table read_model.projection_checkpoints (
    name text primary key,
    tx_id xid8 not null,
    seq bigint not null,
    projected_events bigint not null,
    last_event_received_at timestamptz,
    updated_at timestamptz not null
  )`,
  sql`create table read_model.event_counts_hourly (
    system_id uuid not null,
    hour timestamptz not null,
    type text not null,
    event text not null,
    count bigint not null,
    primary key (system_id, hour, type, event)
  )`,
  // Who did something in an hour, as they were known then ('u:<userId>' or 'a:<anonymousId>');
  // identity_links maps them to one person at query time, so merges also fix past buckets.
  sql`create table read_model.user_activity_hourly (
    system_id uuid not null,
    hour timestamptz not null,
    type text not null,
    event text not null,
    actor text not null,
    primary key (system_id, hour, type, event, actor)
  )`,
  sql`create table read_model.identity_links (
    system_id uuid not null,
    actor text not null,
    canonical text not null,
    primary key (system_id, actor)
  )`,
  sql`create index identity_links_canonical on read_model.identity_links (system_id, canonical)`,
];

/** The checkpointed read models the analytics API answers from. */
export const readModels: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
};
