import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  sql`create schema if not exists write_model`,
  sql`create schema if not exists read_model`,
  sql`create table write_model.partners (
    id uuid primary key,
    name text not null,
    email text not null,
    contact_person text,
    active boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  sql`create unique index partners_name_unique on write_model.partners (lower(name))`,
  sql`create table write_model.partner_systems (
    id uuid primary key,
    partner_id uuid not null references write_model.partners (id),
    name text not null,
    description text,
    active boolean not null,
    settings jsonb not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  sql`create unique index partner_systems_name_unique on write_model.partner_systems (partner_id, lower(name))`,
  sql`create table write_model.api_keys (
    id text primary key,
    system_id uuid not null references write_model.partner_systems (id),
    kind text not null check (kind in ('write', 'secret')),
    secret_hash text not null,
    replaces_key_id text references write_model.api_keys (id),
    created_at timestamptz not null,
    revoked_at timestamptz
  )`,
  sql`create index api_keys_system on write_model.api_keys (system_id)`,
  sql`create table write_model.event_structures (
    system_id uuid not null references write_model.partner_systems (id),
    event_name text not null,
    version integer not null,
    schema jsonb not null,
    required boolean not null,
    created_at timestamptz not null,
    primary key (system_id, event_name, version)
  )`,
  sql`create table write_model.domain_events (
    seq bigint generated always as identity primary key,
    type text not null,
    aggregate_id text not null,
    payload jsonb not null,
    occurred_at timestamptz not null
  )`,
  sql`create table write_model.settings (
    name text primary key,
    value text not null,
    updated_at timestamptz not null
  )`,
  // No foreign key to systems: the ingestion hot path already proved the system through its key.
  sql`create table write_model.tracking_events (
    seq bigint generated always as identity primary key,
    system_id uuid not null,
    message_id text not null,
    type text not null,
    event text,
    user_id text,
    anonymous_id text,
    group_id text,
    previous_id text,
    properties jsonb not null,
    traits jsonb not null,
    context jsonb not null,
    integrations jsonb not null,
    timestamp timestamptz not null,
    original_timestamp timestamptz,
    sent_at timestamptz,
    received_at timestamptz not null,
    valid boolean not null,
    validation_errors jsonb not null,
    constraint tracking_events_message_unique unique (system_id, message_id)
  )`,
  sql`create index tracking_events_system_seq on write_model.tracking_events (system_id, seq desc)`,
];

/** Partners, systems, keys, event structures, the domain event log, settings and the event log. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
};
