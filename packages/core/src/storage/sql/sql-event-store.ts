import { sql, type Kysely, type Selectable } from 'kysely';
import type { AppendResult, EventStore, ListEventsOptions } from '../../ingestion/event-store';
import type { MessageType, StoredEvent, TrackingEvent } from '../../ingestion/tracking-event';
import type { Database, TrackingEventsTable } from './database';

/** The event log in `write_model.tracking_events`; one row per (system, messageId). */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One statement for the whole batch: each column travels as one array parameter and `unnest`
   * turns them back into rows, so a 5,000-row batch costs 18 parameters, not 90,000, and parses
   * once. `RETURNING` says which rows were new, so each caller learns about its own events.
   */
  async append(events: readonly TrackingEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { inserted: 0, isNew: [] };
    const c = columns(events);
    const { rows } = await sql<{ system_id: string; message_id: string }>`
      insert into write_model.tracking_events (system_id, message_id, type, event, user_id, anonymous_id,
        group_id, previous_id, properties, traits, context, integrations, timestamp, original_timestamp,
        sent_at, received_at, valid, validation_errors)
      select * from unnest(${c.systemId}::uuid[], ${c.messageId}::text[], ${c.type}::text[], ${c.event}::text[],
        ${c.userId}::text[], ${c.anonymousId}::text[], ${c.groupId}::text[], ${c.previousId}::text[],
        ${c.properties}::jsonb[], ${c.traits}::jsonb[], ${c.context}::jsonb[], ${c.integrations}::jsonb[],
        ${c.timestamp}::timestamptz[], ${c.originalTimestamp}::timestamptz[], ${c.sentAt}::timestamptz[],
        ${c.receivedAt}::timestamptz[], ${c.valid}::boolean[], ${c.validationErrors}::jsonb[])
      on conflict (system_id, message_id) do nothing
      returning system_id, message_id`.execute(this.db);
    const stored = new Set(rows.map((r) => `${r.system_id}\u0000${r.message_id}`));
    // The first occurrence of a key in the batch is the one that was stored.
    const isNew = events.map((e) => stored.delete(`${e.systemId}\u0000${e.messageId}`));
    return { inserted: rows.length, isNew };
  }

  async list(systemId: string, options: ListEventsOptions): Promise<StoredEvent[]> {
    let query = this.db
      .selectFrom('write_model.tracking_events')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('seq', 'desc')
      .limit(options.limit);
    if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
    if (options.valid !== undefined) query = query.where('valid', '=', options.valid);
    return (await query.execute()).map(fromRow);
  }
}

function columns(events: readonly TrackingEvent[]) {
  const n = events.length;
  const c = {
    systemId: new Array<string>(n),
    messageId: new Array<string>(n),
    type: new Array<string>(n),
    event: new Array<string | null>(n),
    userId: new Array<string | null>(n),
    anonymousId: new Array<string | null>(n),
    groupId: new Array<string | null>(n),
    previousId: new Array<string | null>(n),
    properties: new Array<string>(n),
    traits: new Array<string>(n),
    context: new Array<string>(n),
    integrations: new Array<string>(n),
    timestamp: new Array<string>(n),
    originalTimestamp: new Array<string | null>(n),
    sentAt: new Array<string | null>(n),
    receivedAt: new Array<string>(n),
    valid: new Array<boolean>(n),
    validationErrors: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    c.systemId[i] = e.systemId;
    c.messageId[i] = e.messageId;
    c.type[i] = e.type;
    c.event[i] = e.event;
    c.userId[i] = e.userId;
    c.anonymousId[i] = e.anonymousId;
    c.groupId[i] = e.groupId;
    c.previousId[i] = e.previousId;
    c.properties[i] = JSON.stringify(e.properties);
    c.traits[i] = JSON.stringify(e.traits);
    c.context[i] = JSON.stringify(e.context);
    c.integrations[i] = JSON.stringify(e.integrations);
    c.timestamp[i] = e.timestamp.toISOString();
    c.originalTimestamp[i] = e.originalTimestamp?.toISOString() ?? null;
    c.sentAt[i] = e.sentAt?.toISOString() ?? null;
    c.receivedAt[i] = e.receivedAt.toISOString();
    c.valid[i] = e.valid;
    c.validationErrors[i] = JSON.stringify(e.validationErrors);
  }
  return c;
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
