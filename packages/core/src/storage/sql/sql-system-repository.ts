import type { Kysely, Selectable } from 'kysely';
import type { SystemRepository } from '../../partners/partner-repository';
import { defaultSystemSettings, type PartnerSystem, type SystemSettings } from '../../partners/partner-system';
import type { Database, PartnerSystemsTable } from './database';
import { conflictOnDuplicate } from './unique-violation';

const duplicateName = {
  partner_systems_name_unique: { field: 'name', message: 'this partner has a system with this name already' },
};

/** Partner systems in `write_model.partner_systems`. */
export class SqlSystemRepository implements SystemRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(system: PartnerSystem): Promise<void> {
    await conflictOnDuplicate(
      () => this.db.insertInto('write_model.partner_systems').values(systemToRow(system)).execute(),
      duplicateName,
    );
  }

  async update(system: PartnerSystem): Promise<void> {
    await conflictOnDuplicate(
      () =>
        this.db.updateTable('write_model.partner_systems').set(systemToRow(system)).where('id', '=', system.id).execute(),
      duplicateName,
    );
  }

  async findById(id: string): Promise<PartnerSystem | null> {
    const row = await this.db.selectFrom('write_model.partner_systems').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? systemFromRow(row) : null;
  }

  async listByPartner(partnerId: string): Promise<PartnerSystem[]> {
    const rows = await this.db
      .selectFrom('write_model.partner_systems')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('id')
      .execute();
    return rows.map(systemFromRow);
  }
}

function systemToRow(s: PartnerSystem) {
  return {
    id: s.id,
    partner_id: s.partnerId,
    name: s.name,
    description: s.description,
    active: s.active,
    settings: JSON.stringify(s.settings),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** Maps a stored system row; settings added by later versions get their defaults. */
export function systemFromRow(row: Selectable<PartnerSystemsTable>): PartnerSystem {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    description: row.description,
    active: row.active,
    settings: { ...defaultSystemSettings, ...(row.settings as Partial<SystemSettings>) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
