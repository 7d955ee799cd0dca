import { sql, type Kysely } from 'kysely';
import type { ProjectionStore } from '../../analytics/analytics-store';
import { actorOf, hourOf, readModelDelta } from '../../analytics/read-model-delta';
import type { MessageType } from '../../ingestion/tracking-event';
import type { Database } from './database';
import { applyIdentityLinks } from './sql-identity-links';
import { addOccurrences, emptyStats, mergePeople, personIds, writeActivityStats } from './sql-person-activity';
import { applyPropertyRollups } from './sql-property-rollups';
import { ReadModelVacuum } from './read-model-vacuum';

// Any fixed 64-bit number distinct from the migration lock's.
const PROJECTOR_LOCK = 7_307_110_128;
const DAY = 86_400_000;
/**
 * Most bytes of stored properties one batch reads (more only when its first event alone is larger):
 * small events fill a batch by count, 32 KB ones stop it at ~250.
 */
export const BATCH_PROPERTY_BYTES = 8 * 1024 * 1024;

interface PendingRow {
  tx_id: string;
  seq: string;
  system_id: string;
  type: MessageType;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  properties: Record<string, unknown>;
  timestamp: Date;
  received_at: Date;
}

/** The projector's storage side on PostgreSQL and PGlite. */
export class SqlProjectionStore implements ProjectionStore {
  /**
   * @param sharedDatabase whether other processes can reach the database. PGlite's directory is
   *   locked to one process, and its single connection must not be held by a lease.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sharedDatabase: boolean,
  ) {
    this.#vacuum = new ReadModelVacuum(db);
  }

  #seesAllSessions: Promise<boolean> | undefined;
  readonly #vacuum: ReadModelVacuum;

  async projectBatch(limit: number): Promise<number> {
    const applied = await this.#applyBatch(limit);
    await this.#vacuum.afterBatch(applied);
    return applied;
  }

  #applyBatch(limit: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const checkpoint = await lockCheckpoint(tx);
      // Only transactions older than the oldest one still running are final: anything at or above
      // that watermark may still commit rows that sort before ones already visible.
      const watermark = await this.#watermark(tx);
      // Ordered by the xid8 column itself: a `tx_id::text` output column of the same name would make
      // ORDER BY sort text ('100000' before '99999'), skipping or repeating events, and miss the index.
      // The batch's properties come into this process (for the rollups): it stops at the event
      // that starts past BATCH_PROPERTY_BYTES of them, so large events make shorter batches. A
      // compressed value is measured as the JSON text that arrives here, not as stored: repetitive
      // properties compress ~30-fold.
      const { rows } = await sql<PendingRow>`
        select tx_id::text as tx_id, seq, system_id, type, event, user_id, anonymous_id, previous_id, properties, timestamp, received_at
        from (
          select sized.*, sum(bytes) over (order by tx_id, seq) - bytes as bytes_before
          from (
            select e.tx_id, e.seq, e.system_id, e.type, e.event, e.user_id, e.anonymous_id, e.previous_id, e.properties, e.timestamp, e.received_at,
              case when pg_column_compression(e.properties) is null then pg_column_size(e.properties)
                else octet_length(e.properties::text) end as bytes
            from write_model.tracking_events e
            where (e.tx_id, e.seq) > (${checkpoint.txId}::xid8, ${checkpoint.seq}::bigint)
              and e.tx_id < ${watermark}::xid8
            order by e.tx_id, e.seq
            limit ${limit}) sized) pending
        where bytes_before < ${BATCH_PROPERTY_BYTES}
        order by pending.tx_id, pending.seq`.execute(tx);
      if (rows.length === 0) return 0;
      const delta = readModelDelta(
        rows.map((r) => ({
          systemId: r.system_id,
          type: r.type,
          event: r.event,
          userId: r.user_id,
          anonymousId: r.anonymous_id,
          previousId: r.previous_id,
          timestamp: r.timestamp,
        })),
      );
      await applyEvents(tx, rows);
      await applyCounts(tx, delta.counts);
      // Who is who after this batch's identify/alias calls: merged persons' rows move first, then
      // the batch's events land on the surviving persons.
      const actors = rows.map((r) => ({ systemId: r.system_id, actor: actorOf({ userId: r.user_id, anonymousId: r.anonymous_id }) }));
      const identities = await applyIdentityLinks(
        tx,
        delta.links,
        actors.filter((a): a is { systemId: string; actor: string } => a.actor !== null),
      );
      const occurrences = rows.map((r, i) => {
        const actor = actors[i]!.actor;
        return { systemId: r.system_id, event: r.event ?? '', person: actor === null ? null : identities.personOf(r.system_id, actor), timestamp: r.timestamp };
      });
      const ids = await personIds(tx, [
        ...occurrences.flatMap((o) => (o.person === null ? [] : [{ systemId: o.systemId, person: o.person }])),
        ...identities.merges.flatMap((m) => [{ systemId: m.systemId, person: m.member }, { systemId: m.systemId, person: m.root }]),
      ]);
      const stats = emptyStats();
      await mergePeople(tx, identities.merges, ids, stats);
      await addOccurrences(tx, occurrences, ids, stats);
      await writeActivityStats(tx, stats);
      await applyPropertyRollups(
        tx,
        rows.map((r) => ({ systemId: r.system_id, event: r.event ?? '', hour: hourOf(r.timestamp), properties: r.properties })),
      );
      const last = rows[rows.length - 1]!;
      await sql`update read_model.projection_checkpoints
        set tx_id = ${last.tx_id}::xid8, seq = ${last.seq}, projected_events = projected_events + ${rows.length},
            last_event_received_at = ${last.received_at}, updated_at = now()
        where name = 'main'`.execute(tx);
      return rows.length;
    });
  }

  /**
   * The oldest transaction that may still be running. A snapshot's xmin covers the whole cluster, so
   * a long transaction in another database would stall projection; when this role can see every
   * session, only this database's transactions count. Our own transaction is among them (it holds
   * the checkpoint lock), so the watermark never passes it.
   */
  async #watermark(tx: Kysely<Database>): Promise<string> {
    if (this.sharedDatabase && (await this.#canSeeAllSessions(tx))) {
      const { rows } = await sql<{ watermark: string }>`
        with current_tx as (select pg_current_xact_id()::text::numeric as x)
        select min(case
            when b.xid <= c.x % 4294967296 then c.x - c.x % 4294967296 + b.xid
            else c.x - c.x % 4294967296 - 4294967296 + b.xid
          end)::text as watermark
        from (select backend_xid::text::numeric as xid from pg_stat_activity
              where datname = current_database() and backend_xid is not null) b, current_tx c`.execute(tx);
      if (rows[0]?.watermark) return rows[0].watermark;
    }
    const { rows } = await sql<{ watermark: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as watermark`.execute(tx);
    return rows[0]!.watermark;
  }

  // Other roles' sessions show no transaction ids to an unprivileged role.
  #canSeeAllSessions(tx: Kysely<Database>): Promise<boolean> {
    this.#seesAllSessions ??= sql<{ all: boolean }>`
      select rolsuper or pg_has_role(current_user, 'pg_read_all_stats', 'member') as all
      from pg_roles where rolname = current_user`
      .execute(tx)
      .then(({ rows }) => rows[0]?.all === true);
    return this.#seesAllSessions;
  }

  async reset(): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await lockCheckpoint(tx);
      await sql`truncate read_model.event_counts_hourly, read_model.event_counts_daily, read_model.identity_links, read_model.events,
        read_model.people, read_model.person_events, read_model.person_hours, read_model.activity_hourly, read_model.event_activity_hourly,
        read_model.property_rollups, read_model.property_values, read_model.property_counts_hourly`.execute(tx);
      await sql`update read_model.projection_checkpoints
        set tx_id = '0'::xid8, seq = 0, projected_events = 0, last_event_received_at = null, updated_at = now(), rebuilds = rebuilds + 1
        where name = 'main'`.execute(tx);
    });
  }

  async exclusively<T>(fn: () => Promise<T>): Promise<T | null> {
    if (!this.sharedDatabase) return fn();
    // A session lock on a connection held for the whole run: it is released if the process dies.
    return this.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${PROJECTOR_LOCK}) as locked`.execute(conn);
      if (!rows[0]?.locked) return null;
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${PROJECTOR_LOCK})`.execute(conn);
      }
    });
  }
}

async function lockCheckpoint(tx: Kysely<Database>): Promise<{ txId: string; seq: string }> {
  await sql`insert into read_model.projection_checkpoints (name, tx_id, seq, projected_events, updated_at)
    values ('main', '0'::xid8, 0, 0, now()) on conflict (name) do nothing`.execute(tx);
  const { rows } = await sql<{ tx_id: string; seq: string }>`
    select tx_id::text, seq from read_model.projection_checkpoints where name = 'main' for update`.execute(tx);
  return { txId: rows[0]!.tx_id, seq: String(rows[0]!.seq) };
}

/**
 * The read side's slim copy of the batch, read from the log in the database: only each event's seq
 * and actor travel, not its properties and traits, which would be parsed, re-serialised and parsed
 * again on the way (the batch read keeps only the properties, for the rollups).
 */
async function applyEvents(tx: Kysely<Database>, rows: PendingRow[]): Promise<void> {
  const seqs = rows.map((r) => r.seq);
  const actors = rows.map((r) => actorOf({ userId: r.user_id, anonymousId: r.anonymous_id }));
  await sql`insert into read_model.events (system_id, seq, type, event, actor, timestamp, properties, traits, group_id, anonymous_id, valid)
    select e.system_id, e.seq, e.type, coalesce(e.event, ''), b.actor, e.timestamp, e.properties, e.traits, e.group_id, e.anonymous_id, e.valid
    from unnest(${seqs}::bigint[], ${actors}::text[]) as b(seq, actor)
    join write_model.tracking_events e on e.seq = b.seq
    on conflict do nothing`.execute(tx);
}

async function applyCounts(tx: Kysely<Database>, counts: ReturnType<typeof readModelDelta>['counts']): Promise<void> {
  if (counts.length === 0) return;
  await sql`insert into read_model.event_counts_hourly (system_id, hour, type, event, count)
    select s, h, t, e, c from jsonb_to_recordset(${JSON.stringify(counts.map((r) => ({ s: r.systemId, h: r.hour, t: r.type, e: r.event, c: r.count })))}::jsonb)
      as r(s uuid, h timestamptz, t text, e text, c bigint)
    on conflict (system_id, hour, type, event) do update set count = read_model.event_counts_hourly.count + excluded.count`.execute(tx);
  const daily = new Map<string, { s: string; d: string; t: string; e: string; c: number }>();
  for (const r of counts) {
    const d = new Date(Math.floor(Date.parse(r.hour) / DAY) * DAY).toISOString();
    const key = `${r.systemId}|${d}|${r.type}|${r.event}`;
    const row = daily.get(key) ?? { s: r.systemId, d, t: r.type, e: r.event, c: 0 };
    row.c += r.count;
    daily.set(key, row);
  }
  await sql`insert into read_model.event_counts_daily as d (system_id, day, type, event, count)
    select s, d, t, e, c from jsonb_to_recordset(${JSON.stringify([...daily.values()])}::jsonb)
      as r(s uuid, d timestamptz, t text, e text, c bigint)
    on conflict (system_id, day, type, event) do update set count = d.count + excluded.count`.execute(tx);
}
