import type { Kysely, Selectable } from 'kysely';
import type { EventStructure } from '../../event-structures/event-structure';
import type { EventStructureRepository } from '../../event-structures/event-structure-repository';
import type { Database, EventStructuresTable } from './database';
import { conflictOnDuplicate } from './unique-violation';

/** Every version of every event structure, in `write_model.event_structures`. */
export class SqlEventStructureRepository implements EventStructureRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: EventStructure): Promise<void> {
    await conflictOnDuplicate(
      () =>
        this.db
          .insertInto('write_model.event_structures')
          .values({
            system_id: s.systemId,
            event_name: s.eventName,
            version: s.version,
            schema: JSON.stringify(s.schema),
            required: s.required,
            created_at: s.createdAt,
          })
          .execute(),
      { event_structures_pkey: { field: 'version', message: 'this version was defined concurrently; retry' } },
    );
  }

  async findCurrent(systemId: string, eventName: string): Promise<EventStructure | null> {
    const row = await this.db
      .selectFrom('write_model.event_structures')
      .selectAll()
      .where('system_id', '=', systemId)
      .where('event_name', '=', eventName)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async listCurrent(systemId: string): Promise<EventStructure[]> {
    const rows = await this.db
      .selectFrom('write_model.event_structures')
      .selectAll()
      .distinctOn('event_name')
      .where('system_id', '=', systemId)
      .orderBy('event_name')
      .orderBy('version', 'desc')
      .execute();
    return rows.map(fromRow);
  }
}

function fromRow(row: Selectable<EventStructuresTable>): EventStructure {
  return {
    systemId: row.system_id,
    eventName: row.event_name,
    version: row.version,
    schema: row.schema,
    required: row.required,
    createdAt: row.created_at,
  };
}
