import { sql, type Kysely } from 'kysely';
import type { Database } from './database';

/**
 * The read models the projector updates in place. Every batch rewrites the rows of the people,
 * hours and values it touches, leaving the old versions behind as dead tuples; `events`, which is
 * only inserted into, is not among them.
 */
const UPDATED_READ_MODELS = [
  'person_events',
  'person_hours',
  'activity_hourly',
  'event_activity_hourly',
  'event_counts_hourly',
  'event_counts_daily',
  'property_counts_hourly',
  'property_rollups',
  'identity_links',
  'projection_checkpoints',
].map((table) => `read_model.${table}`);

/** Projected events between two vacuums when no autovacuum runs. */
export const VACUUM_EVERY_EVENTS = 50_000;

/**
 * Vacuums the read models after every `everyEvents` projected events (default {@link VACUUM_EVERY_EVENTS}), but only where no
 * autovacuum does it: PGlite (a single-user PostgreSQL without the autovacuum launcher) and servers
 * with `autovacuum = off`. Without it, each person's rows leave a dead copy per batch (HOT pruning
 * reclaims small rows within their page, but not the TOAST chunks of long arrays): the tables grow without bound and every funnel and profile reads through the garbage.
 */
export class ReadModelVacuum {
  #sinceLast = 0;
  #needed: Promise<boolean> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly everyEvents = VACUUM_EVERY_EVENTS,
  ) {}

  /** Counts projected events; vacuums (outside any transaction) when enough have passed. */
  async afterBatch(applied: number): Promise<void> {
    this.#sinceLast += applied;
    if (this.#sinceLast < this.everyEvents) return;
    this.#sinceLast = 0;
    if (!(await this.#isNeeded())) return;
    // ANALYZE too: autovacuum would also refresh the statistics the funnel's join plans depend on.
    await sql.raw(`vacuum (analyze) ${UPDATED_READ_MODELS.join(', ')}`).execute(this.db);
  }

  // Asked once per store: the launcher is a server-wide process that does not come and go.
  #isNeeded(): Promise<boolean> {
    this.#needed ??= sql<{ running: boolean }>`
      select exists(select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as running`
      .execute(this.db)
      .then(({ rows }) => rows[0]?.running !== true)
      .catch((error: unknown) => {
        // A failed look (the database restarting) is asked again next time, not remembered.
        this.#needed = undefined;
        throw error;
      });
    return this.#needed;
  }
}
