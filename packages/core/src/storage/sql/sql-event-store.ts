import { sql, type Kysely, type Selectable } from 'kysely';
import type { AppendResult, EventStore, ListEventsOptions } from '../../ingestion/event-store';
import type { MessageType, StoredEvent, TrackingEvent } from '../../ingestion/tracking-event';
import type { Database, TrackingEventsTable } from './database';

/** The event log in `write_model.tracking_events`; one row per (system, messageId). */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One statement for the whole batch: the rows travel as a single JSON parameter, which
   * `jsonb_to_recordset` expands into rows inside PostgreSQL. Serializing one array with the native
   * `JSON.stringify` costs far less than node-postgres escaping every element of per-column arrays.
   * `RETURNING` says which rows were new, so each caller learns about its own events.
   */
  async append(events: readonly TrackingEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { inserted: 0, isNew: [] };
    const { rows } = await sql<{ system_id: string; message_id: string }>`
      insert into write_model.tracking_events (system_id, message_id, type, event, user_id, anonymous_id,
        group_id, previous_id, properties, traits, context, integrations, timestamp, original_timestamp,
        sent_at, received_at, valid, validation_errors)
      select s, m, t, e, u, a, g, p, pr, tr, c, i, ts, ot, sa, ra, v, ve
      from jsonb_to_recordset(${JSON.stringify(events.map(toRecord))}::jsonb) as r(s uuid, m text, t text, e text,
        u text, a text, g text, p text, pr jsonb, tr jsonb, c jsonb, i jsonb, ts timestamptz, ot timestamptz,
        sa timestamptz, ra timestamptz, v boolean, ve jsonb)
      on conflict (system_id, message_id) do nothing
      returning system_id, message_id`.execute(this.db);
    const stored = new Set(rows.map((r) => `${r.system_id}\u0000${r.message_id}`));
    // The first occurrence of a key in the batch is the one that was stored.
    const isNew = events.map((e) => stored.delete(`${e.systemId}\u0000${e.messageId}`));
    return { inserted: rows.length, isNew };
  }

  /**
   * Newest first by seq. A filter on the event name, userId or anonymousId pages through the read
   * side's indexes on the projected events, plus the write model's not yet projected tail (found by
   * the projector's own (tx_id, seq) index), so the write model keeps only the indexes ingestion needs.
   */
  async list(systemId: string, options: ListEventsOptions): Promise<StoredEvent[]> {
    if (options.userId !== undefined || options.anonymousId !== undefined || (options.event !== undefined && options.event !== '')) {
      return this.#listByIndex(systemId, options);
    }
    let query = this.db
      .selectFrom('write_model.tracking_events')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('seq', 'desc')
      .limit(options.limit);
    if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
    if (options.valid !== undefined) query = query.where('valid', '=', options.valid);
    if (options.event !== undefined) query = query.where('event', '=', options.event);
    if (options.userId !== undefined) query = query.where('user_id', '=', options.userId);
    if (options.anonymousId !== undefined) query = query.where('anonymous_id', '=', options.anonymousId);
    if (options.type !== undefined) query = query.where('type', '=', options.type);
    if (options.from !== undefined) query = query.where('timestamp', '>=', options.from);
    if (options.to !== undefined) query = query.where('timestamp', '<', options.to);
    return (await query.execute()).map(fromRow);
  }

  async #listByIndex(systemId: string, options: ListEventsOptions): Promise<StoredEvent[]> {
    // One snapshot for both statements, so the checkpoint describes the read model the second sees.
    // The lock comes before the snapshot: a rebuild empties the read model with TRUNCATE, which a
    // snapshot taken earlier would see as empty beside the old checkpoint (no events at all), so the
    // listing waits for a rebuild's first transaction and sees its checkpoint too.
    const rows = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        await sql`lock table read_model.events in access share mode`.execute(tx);
        const { rows: cp } = await sql<{ tx_id: string; seq: string }>`
          select tx_id::text, seq from read_model.projection_checkpoints where name = 'main'`.execute(tx);
        return listedEvents(tx, systemId, options, cp[0] ?? { tx_id: '0', seq: '0' });
      });
    return rows.map(fromRow);
  }
}

// The checkpoint goes in as literals, so a short tail is an index range on (tx_id, seq). The tail is cut to
// one page: a long one (a rebuild) is then walked newest first, not read whole (300k behind: 70 → 4 ms).
async function listedEvents(
  tx: Kysely<Database>,
  systemId: string,
  options: ListEventsOptions,
  checkpoint: { tx_id: string; seq: string },
): Promise<Selectable<TrackingEventsTable>[]> {
  const { rows } = await sql<Selectable<TrackingEventsTable>>`
    select w.* from write_model.tracking_events w where w.seq in (
      (select r.seq from read_model.events r where r.system_id = ${systemId} ${listFilters('r', options)} order by r.seq desc limit ${options.limit})
      union all
      (select e.seq from write_model.tracking_events e
        where (e.tx_id, e.seq) > (${checkpoint.tx_id}::xid8, ${checkpoint.seq}::bigint) and e.system_id = ${systemId} ${listFilters('e', options)}
        order by e.seq desc limit ${options.limit})
      order by seq desc limit ${options.limit})
    order by w.seq desc`.execute(tx);
  return rows;
}

function listFilters(alias: 'r' | 'e', options: ListEventsOptions) {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const filters = [];
  if (options.beforeSeq !== undefined) filters.push(sql`${col('seq')} < ${options.beforeSeq}`);
  if (options.valid !== undefined) filters.push(sql`${col('valid')} = ${options.valid}`);
  if (options.event !== undefined) filters.push(sql`${col('event')} = ${options.event}`);
  // The read model knows a userId as its actor: `u:<userId>` whenever an event has one.
  if (options.userId !== undefined) filters.push(alias === 'r' ? sql`r.actor = ${`u:${options.userId}`}` : sql`e.user_id = ${options.userId}`);
  if (options.anonymousId !== undefined) filters.push(sql`${col('anonymous_id')} = ${options.anonymousId}`);
  if (options.type !== undefined) filters.push(sql`${col('type')} = ${options.type}`);
  if (options.from !== undefined) filters.push(sql`${col('timestamp')} >= ${options.from}`);
  if (options.to !== undefined) filters.push(sql`${col('timestamp')} < ${options.to}`);
  return filters.length === 0 ? sql`` : sql`and ${sql.join(filters, sql` and `)}`;
}

// Short keys keep the JSON parameter small; dates serialize as ISO-8601 through JSON.stringify.
function toRecord(e: TrackingEvent) {
  return {
    s: e.systemId,
    m: e.messageId,
    t: e.type,
    e: e.event,
    u: e.userId,
    a: e.anonymousId,
    g: e.groupId,
    p: e.previousId,
    pr: e.properties,
    tr: e.traits,
    c: e.context,
    i: e.integrations,
    ts: e.timestamp,
    ot: e.originalTimestamp,
    sa: e.sentAt,
    ra: e.receivedAt,
    v: e.valid,
    ve: e.validationErrors,
  };
}

function fromRow(row: Selectable<TrackingEventsTable>): StoredEvent {
  return {
    seq: String(row.seq),
    systemId: row.system_id,
    messageId: row.message_id,
    type: row.type as MessageType,
    event: row.event,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    groupId: row.group_id,
    previousId: row.previous_id,
    properties: row.properties,
    traits: row.traits,
    context: row.context,
    integrations: row.integrations,
    timestamp: row.timestamp,
    originalTimestamp: row.original_timestamp,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    valid: row.valid,
    validationErrors: row.validation_errors,
  };
}
