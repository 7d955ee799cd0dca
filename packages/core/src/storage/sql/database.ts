import type { ColumnType, Generated } from 'kysely';

// jsonb columns are read back parsed and written as JSON text: node-postgres would turn a JS array
// parameter into a PostgreSQL array, not JSON.
type Json<T> = ColumnType<T, string, string>;

export interface PartnersTable {
  id: string;
  name: string;
  email: string;
  contact_person: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface PartnerSystemsTable {
  id: string;
  partner_id: string;
  name: string;
  description: string | null;
  active: boolean;
  settings: Json<Record<string, unknown>>;
  created_at: Date;
  updated_at: Date;
}

export interface ApiKeysTable {
  id: string;
  system_id: string;
  kind: 'write' | 'secret';
  secret_hash: string;
  replaces_key_id: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export interface EventStructuresTable {
  system_id: string;
  event_name: string;
  version: number;
  schema: Json<Record<string, unknown>>;
  required: boolean;
  created_at: Date;
}

export interface DomainEventsTable {
  seq: Generated<string>;
  type: string;
  aggregate_id: string;
  payload: Json<Record<string, unknown>>;
  occurred_at: Date;
}

export interface SettingsTable {
  name: string;
  value: string;
  updated_at: Date;
}

export interface TrackingEventsTable {
  seq: Generated<string>;
  system_id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  group_id: string | null;
  previous_id: string | null;
  properties: Json<Record<string, unknown>>;
  traits: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  integrations: Json<Record<string, unknown>>;
  timestamp: Date;
  original_timestamp: Date | null;
  sent_at: Date | null;
  received_at: Date;
  valid: boolean;
  validation_errors: Json<{ path: string; message: string }[]>;
}

/**
 * The write model lives in schema `write_model`; read models (built by the projector) live in
 * `read_model`, so the two can be tuned, backed up and rebuilt separately.
 */
export interface Database {
  'write_model.partners': PartnersTable;
  'write_model.partner_systems': PartnerSystemsTable;
  'write_model.api_keys': ApiKeysTable;
  'write_model.event_structures': EventStructuresTable;
  'write_model.domain_events': DomainEventsTable;
  'write_model.settings': SettingsTable;
  'write_model.tracking_events': TrackingEventsTable;
}
