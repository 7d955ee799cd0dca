import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../../admin/settings-repository';
import { aggregateIdOf, type DomainEvent } from '../../shared/domain-event';
import type { DomainEventLog } from '../storage';
import type { Database } from './database';

/** The domain event log in `write_model.domain_events`. */
export class SqlDomainEventLog implements DomainEventLog {
  constructor(private readonly db: Kysely<Database>) {}

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db
      .insertInto('write_model.domain_events')
      .values(
        events.map((e) => ({
          type: e.type,
          aggregate_id: aggregateIdOf(e),
          payload: JSON.stringify(e),
          occurred_at: e.occurredAt,
        })),
      )
      .execute();
  }

  async recent(limit: number): Promise<DomainEvent[]> {
    const rows = await this.db.selectFrom('write_model.domain_events').select('payload').orderBy('seq', 'desc').limit(limit).execute();
    return rows.map((r) => {
      const event = r.payload as unknown as DomainEvent & { occurredAt: string };
      return { ...event, occurredAt: new Date(event.occurredAt) };
    });
  }
}

/** Server-wide settings in `write_model.settings`. */
export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<string | null> {
    const row = await this.db.selectFrom('write_model.settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value ?? null;
  }

  async putIfAbsent(name: string, value: string): Promise<boolean> {
    const result = await this.db
      .insertInto('write_model.settings')
      .values({ name, value, updated_at: new Date() })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
