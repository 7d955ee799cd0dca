import type { Kysely, Selectable } from 'kysely';
import type { Partner } from '../../partners/partner';
import type { PartnerRepository } from '../../partners/partner-repository';
import type { Database, PartnersTable } from './database';
import { conflictOnDuplicate } from './unique-violation';

const duplicateName = { partners_name_unique: { field: 'name', message: 'a partner with this name exists already' } };

/** Partners in `write_model.partners`. */
export class SqlPartnerRepository implements PartnerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(partner: Partner): Promise<void> {
    await conflictOnDuplicate(() => this.db.insertInto('write_model.partners').values(toRow(partner)).execute(), duplicateName);
  }

  async update(partner: Partner): Promise<void> {
    await conflictOnDuplicate(
      () => this.db.updateTable('write_model.partners').set(toRow(partner)).where('id', '=', partner.id).execute(),
      duplicateName,
    );
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<Partner | null> {
    let query = this.db.selectFrom('write_model.partners').selectAll().where('id', '=', id);
    if (options.forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async list(options: { limit: number; afterId?: string }): Promise<Partner[]> {
    let query = this.db.selectFrom('write_model.partners').selectAll().orderBy('id').limit(options.limit);
    if (options.afterId) query = query.where('id', '>', options.afterId);
    return (await query.execute()).map(fromRow);
  }
}

function toRow(p: Partner): PartnersTable {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    contact_person: p.contactPerson,
    active: p.active,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function fromRow(row: Selectable<PartnersTable>): Partner {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    contactPerson: row.contact_person,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
