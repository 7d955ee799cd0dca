import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A person's first and last occurrence of an event name, next to the sorted occurrences they bound.
 * Most funnel steps and profiles are answered by these two alone (the first occurrence is after the
 * previous step, or the last one is before it), without reading, and at 10M events often
 * de-TOASTing, the whole array. Generated, so every writer keeps them right without knowing of them.
 */
export const personEventBounds: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table read_model.person_events
      add column first_at timestamptz generated always as (timestamps[1]) stored,
      add column last_at timestamptz generated always as (timestamps[cardinality(timestamps)]) stored`.execute(db);
  },
};
