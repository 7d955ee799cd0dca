import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  // The read side's own copy of each event, slimmed to what breakdowns, funnels and profiles need and
  // indexed for them; the write model's table stays tuned for ingestion.
  sql`create table read_model.events (
    system_id uuid not null,
    seq bigint not null,
    type text not null,
    event text not null,
    actor text,
    timestamp timestamptz not null,
    properties jsonb not null,
    traits jsonb not null,
    group_id text,
    primary key (system_id, seq)
  )`,
  sql`create index read_events_by_event on read_model.events (system_id, event, timestamp)`,
  sql`create index read_events_by_actor on read_model.events (system_id, actor, timestamp)`,
];

/** A per-event read model for breakdowns, funnels and user profiles. */
export const readEvents: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
};
