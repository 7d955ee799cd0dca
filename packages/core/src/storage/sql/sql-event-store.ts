import type { Kysely, Selectable } from 'kysely';
import type { EventStore, ListEventsOptions } from '../../ingestion/event-store';
import type { MessageType, StoredEvent, TrackingEvent } from '../../ingestion/tracking-event';
import type { Database, TrackingEventsTable } from './database';

// PostgreSQL binds at most 65,535 parameters per statement; 19 columns a row fit 3,000 rows.
const ROWS_PER_STATEMENT = 3000;

/** The event log in `write_model.tracking_events`; one row per (system, messageId). */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(events: readonly TrackingEvent[]): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    return this.db.transaction().execute(async (tx) => {
      let inserted = 0;
      for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
        const result = await tx
          .insertInto('write_model.tracking_events')
          .values(events.slice(start, start + ROWS_PER_STATEMENT).map(toRow))
          .onConflict((oc) => oc.columns(['system_id', 'message_id']).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return { inserted };
    });
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

function toRow(e: TrackingEvent) {
  return {
    system_id: e.systemId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    group_id: e.groupId,
    previous_id: e.previousId,
    properties: JSON.stringify(e.properties),
    traits: JSON.stringify(e.traits),
    context: JSON.stringify(e.context),
    integrations: JSON.stringify(e.integrations),
    timestamp: e.timestamp,
    original_timestamp: e.originalTimestamp,
    sent_at: e.sentAt,
    received_at: e.receivedAt,
    valid: e.valid,
    validation_errors: JSON.stringify(e.validationErrors),
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
