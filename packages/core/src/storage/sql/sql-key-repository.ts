import type { Kysely, Selectable } from 'kysely';
import type { ApiKey } from '../../keys/api-key';
import type { KeyCredential, KeyRepository } from '../../keys/key-repository';
import type { ApiKeysTable, Database } from './database';
import { systemFromRow } from './sql-system-repository';

/** API keys (hashes only) in `write_model.api_keys`. */
export class SqlKeyRepository implements KeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(key: ApiKey): Promise<void> {
    await this.db.insertInto('write_model.api_keys').values(toRow(key)).execute();
  }

  async update(key: ApiKey): Promise<void> {
    await this.db.updateTable('write_model.api_keys').set(toRow(key)).where('id', '=', key.id).execute();
  }

  async findById(id: string): Promise<ApiKey | null> {
    const row = await this.db.selectFrom('write_model.api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async listBySystem(systemId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('write_model.api_keys')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  async findCredential(id: string): Promise<KeyCredential | null> {
    const row = await this.db
      .selectFrom('write_model.api_keys as k')
      .innerJoin('write_model.partner_systems as s', 's.id', 'k.system_id')
      .innerJoin('write_model.partners as p', 'p.id', 's.partner_id')
      .selectAll('k')
      .select([
        's.partner_id',
        's.name',
        's.description',
        's.active',
        's.settings',
        's.created_at as system_created_at',
        's.updated_at as system_updated_at',
        'p.active as partner_active',
      ])
      .where('k.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      key: fromRow(row),
      system: systemFromRow({
        id: row.system_id,
        partner_id: row.partner_id,
        name: row.name,
        description: row.description,
        active: row.active,
        settings: row.settings,
        created_at: row.system_created_at,
        updated_at: row.system_updated_at,
      }),
      partnerActive: row.partner_active,
    };
  }
}

function toRow(k: ApiKey): ApiKeysTable {
  return {
    id: k.id,
    system_id: k.systemId,
    kind: k.kind,
    secret_hash: k.secretHash,
    replaces_key_id: k.replacesKeyId,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
  };
}

function fromRow(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    systemId: row.system_id,
    kind: row.kind,
    secretHash: row.secret_hash,
    replacesKeyId: row.replaces_key_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
