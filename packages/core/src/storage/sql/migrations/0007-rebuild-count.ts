import { sql, type Kysely, type Migration } from 'kysely';

/**
 * How many times the read models were rebuilt. A rebuild counts projected events from zero again,
 * so the count alone would name two different states alike: cached answers are keyed on both.
 */
export const rebuildCount: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table read_model.projection_checkpoints add column rebuilds bigint not null default 0`.execute(db);
  },
};
