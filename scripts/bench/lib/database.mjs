// PostgreSQL and PGlite helpers: the throwaway bench database, baseline tables, the raw COPY baseline,
// and the stored-event count used to prove that acknowledged events were stored.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

const PG_BASE = 'postgres://postgres@127.0.0.1:5432';
export const ADMIN_DB_URL = `${PG_BASE}/postgres`;

export function databaseUrl(name) {
  return `${PG_BASE}/${name}`;
}

/** Runs `fn(client)` on a short-lived connection, with bounded connect and statement times. */
export async function withClient(url, fn, { statementTimeoutMs = 120_000 } = {}) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, statement_timeout: statementTimeoutMs });
  client.on('error', () => {}); // a dropped idle connection must not crash the benchmark
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabase(name) {
  await withClient(ADMIN_DB_URL, (c) => c.query(`create database "${name}"`));
}

/** `with (force)` disconnects anything a killed child left behind, so the drop cannot hang. */
export async function dropDatabase(name) {
  await withClient(ADMIN_DB_URL, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

export async function serverVersion() {
  return withClient(ADMIN_DB_URL, async (c) => (await c.query('show server_version')).rows[0].server_version);
}

/**
 * Flushes dirty buffers between sections, so one section's writes are not paid for by the next one's
 * checkpoint. Best effort.
 */
export async function checkpoint(url) {
  await withClient(url, (c) => c.query('checkpoint')).catch(() => {});
}

/**
 * The baselines' tables. `bench_copy` mirrors write_model.tracking_events column for column, with the
 * same identity key, unique constraint and index, so COPY pays the same index maintenance our store does.
 */
export async function createBaselineTables(url) {
  await withClient(url, async (c) => {
    await c.query('create table bench_naive (id bigserial primary key, message_id text, payload jsonb)');
    await c.query(`create table bench_copy (
      seq bigint generated always as identity primary key,
      system_id uuid not null, message_id text not null, type text not null, event text, user_id text,
      anonymous_id text, group_id text, previous_id text, properties jsonb not null, traits jsonb not null,
      context jsonb not null, integrations jsonb not null, timestamp timestamptz not null,
      original_timestamp timestamptz, sent_at timestamptz, received_at timestamptz not null,
      valid boolean not null, validation_errors jsonb not null,
      constraint bench_copy_message_unique unique (system_id, message_id))`);
    await c.query('create index bench_copy_system_seq on bench_copy (system_id, seq desc)');
  });
}

export async function countRows(url, table) {
  return withClient(url, async (c) => Number((await c.query(`select count(*)::int8 as n from ${table}`)).rows[0].n));
}

const COPY_COLUMNS =
  'system_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id, properties, traits, ' +
  'context, integrations, timestamp, original_timestamp, sent_at, received_at, valid, validation_errors';

/**
 * The raw COPY baseline: `rows` rows shaped like the events our server stores (same JSON properties as
 * the load's events), streamed through pg-copy-streams in one COPY. The timing includes generating the
 * text, as a server would have to, and the commit.
 */
export async function copyBaseline(url, rows) {
  const systemId = '00000000-0000-4000-8000-000000000001';
  const now = new Date().toISOString();
  const escape = (s) => s.replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]);
  const row = (i) => {
    const properties = JSON.stringify({ orderId: `order-${i}`, total: 42.5 + (i % 100), currency: 'EUR', items: (i % 5) + 1, coupon: 'SPRING' });
    return [systemId, `c${i}`, 'track', 'Order Completed', `user-${i % 1000}`, '\\N', '\\N', '\\N', escape(properties), '{}', '{}', '{}', now, now, now, now, 't', '[]'].join('\t');
  };
  // Chunks of 1,000 rows keep the stream efficient without building the whole input in memory.
  function* chunks() {
    for (let start = 0; start < rows; start += 1000) {
      const lines = [];
      for (let i = start; i < Math.min(rows, start + 1000); i++) lines.push(row(i));
      yield `${lines.join('\n')}\n`;
    }
  }
  return withClient(url, async (c) => {
    const started = process.hrtime.bigint();
    await pipeline(Readable.from(chunks()), c.query(copyStreams.from(`copy bench_copy (${COPY_COLUMNS}) from stdin`)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stored = Number((await c.query('select count(*)::int8 as n from bench_copy')).rows[0].n);
    return { rows, stored, seconds, rowsPerS: rows / seconds };
  });
}

// Stored events of one system, and how many of them came from requests we did NOT see acknowledged
// (message ids are `m<request>.<i>`). stored - storedUnacked is then exactly the number of stored events
// of acknowledged requests, which must equal the acknowledged count. A hash join keeps it linear.
const COUNT_SQL = `
  select count(*)::int8 as stored, count(u.n)::int8 as stored_unacked
  from write_model.tracking_events e
  left join (select distinct n from unnest($2::int8[]) as t(n)) u
    on u.n = split_part(substr(e.message_id, 2), '.', 1)::int8
  where e.system_id = $1`;

// Events and distinct inserting transactions (xmin) per range of request numbers, i.e. per measured
// run: how well concurrent requests were coalesced into shared commits (group commit).
const COMMITS_SQL = `
  select r.lo, count(*)::int8 as events, count(distinct e.xmin::text)::int8 as transactions
  from write_model.tracking_events e
  join unnest($2::int8[], $3::int8[]) as r(lo, hi)
    on split_part(substr(e.message_id, 2), '.', 1)::int8 between r.lo and r.hi
  where e.system_id = $1
  group by r.lo`;

/**
 * `{stored, storedUnacked, commits: [{fromRequest, events, transactions}]}` for one system; `query` is
 * `(sql, params) => {rows}`, from pg or PGlite alike. `ranges` are `[firstRequest, lastRequest]` pairs.
 */
async function inspect(query, systemId, unackedRequests, ranges) {
  const counted = (await query(COUNT_SQL, [systemId, pgArray(unackedRequests)])).rows[0];
  const { rows } = await query(COMMITS_SQL, [systemId, pgArray(ranges.map((r) => r[0])), pgArray(ranges.map((r) => r[1]))]);
  return {
    stored: Number(counted.stored),
    storedUnacked: Number(counted.stored_unacked),
    commits: rows.map((r) => ({ fromRequest: Number(r.lo), events: Number(r.events), transactions: Number(r.transactions) })),
  };
}

// Arrays travel as one text literal: pg and PGlite both parse '{1,2,3}'::int8[] the same way.
function pgArray(numbers) {
  return `{${numbers.join(',')}}`;
}

export async function inspectPostgres(url, systemId, unackedRequests, ranges) {
  return withClient(url, (c) => inspect((sql, params) => c.query(sql, params), systemId, unackedRequests, ranges));
}

/**
 * Opens the PGlite directory the (stopped) server used, with the workspace's own PGlite. Only valid
 * after the server exited: PGlite cannot share a directory between processes.
 */
export async function inspectPglite(pgliteModulePath, dataDir, systemId, unackedRequests, ranges) {
  const { PGlite } = await import(pathToFileURL(pgliteModulePath).href);
  const db = await PGlite.create(dataDir);
  try {
    return await inspect((sql, params) => db.query(sql, params), systemId, unackedRequests, ranges);
  } finally {
    await db.close();
  }
}
