// Query benchmark of Volcanion Tracking's read models, with a raw write-model baseline in the same run.
//
//   npx -y pnpm@10.34.9 bench:query      (builds, then runs this file; ~5-7 minutes on 2 cores)
//   VT_BENCH_QUERY_ROWS=10000000 npx -y pnpm@10.34.9 bench:query      (10M events; ~1 hour)
//   VT_BENCH_QUERY_ROWS=50000 …          (a quick run of the script itself)
//   VT_BENCH_QUERY_WATCHDOG_S=…          (hard stop; default 420 s per million rows, at least 420 s)
//   VT_BENCH_QUERY_KEEP=1                (keep the database after a successful run, to study plans in psql)
//   VT_BENCH_QUERY_REUSE=vt_bench_q_…    (time the queries again on a kept database: no load, no catch-up;
//                                         its read models must be of the current schema)
//   VT_BENCH_QUERY_BATCH=5000            (the projector's batch size for the catch-up; default: the Projector's, as the server)
//
// What it does, in order:
//   1. creates a throwaway database vt_bench_q_<random> on 127.0.0.1:5432, migrates it with
//      storage.migrate() and creates a partner and a system through createPlatform();
//   2. generates VT_BENCH_QUERY_ROWS events (default 1,000,000; seeded, see lib/query-data.mjs: 30 days, 50 track event names with a
//      Zipf popularity, 10,000 users, anonymous traffic linked by identify, a few aliases, page views)
//      and COPYs them into write_model.tracking_events (10 COPY transactions) -> rows/s;
//      then VACUUM ANALYZE (as autovacuum would in a steady state; timed, not part of the rate);
//   3. times `new Projector(storage, {batchSize}).catchUp()` -> events/s; checks that every event
//      was projected (counts must agree); VACUUM ANALYZE of the read models;
//   4. times each read-model query (storage.analytics.*, and storage.events.list with filters and
//      keyset pages; 3 warm-ups + ~30 runs, parameters varied per run: windows shifted, events/users
//      rotated), the projection status every API answer reads first, and a cached answer and the
//      funnel through createHandler (in process);
//   5. times the same answers with raw SQL over write_model.tracking_events only (lib/query-raw.mjs;
//      GROUP BY for the analytics, the keyset query over the log's own indexes for the lists; fewer
//      runs when slow, at least 5) and compares them run by run with the read model's answers for the
//      same parameters: counts must agree (top events, breakdown, timeseries counts, listed ids); unique
//      users, funnels and profiles are compared for information only (the raw SQL does not merge
//      identities);
//   6. prints p50/p95, raw/read ratios, the targets (p95 <= 50 ms and >= 20x faster than raw, per query)
//      and EXPLAIN (ANALYZE, BUFFERS) of every read-model query that misses 50 ms at p95; writes the
//      same as JSON to scripts/bench/results/query-<timestamp>.json.
// Exit code: 1 on a count mismatch or a crash; 0 otherwise, even if targets are NOT MET (the targets are
// information, not a gate). The database is dropped on every exit path (normal end, error,
// SIGINT/SIGTERM, watchdog).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPlatform, Projector } from '../../packages/core/dist/index.js';
import { createPostgresStorage } from '../../packages/core/dist/postgres.js';
import { createHandler } from '../../packages/server-adapter/dist/index.js';
import { checkpoint, createDatabase, databaseUrl, dropDatabase, serverVersion, withClient } from './lib/database.mjs';
import { createDataset, TRACK_EVENTS } from './lib/query-data.mjs';
import { rawBreakdown, rawFunnel, rawListEvents, rawTimeseries, rawTopEvents, rawUserProfile } from './lib/query-raw.mjs';
import { table } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RESULTS_DIR = join(HERE, 'results');

// VT_BENCH_QUERY_ROWS: a smaller data set for a quick smoke run of the script itself (default 1,000,000).
const ROWS = Number(process.env.VT_BENCH_QUERY_ROWS ?? 1_000_000);
const USERS = 10_000;
const VISITORS = 20_000;
const DAYS = 30;
const SEED = 20_261_124;
// The projector's own default (20,000 on PostgreSQL) unless VT_BENCH_QUERY_BATCH says otherwise.
const PROJECTOR_BATCH = process.env.VT_BENCH_QUERY_BATCH ? Number(process.env.VT_BENCH_QUERY_BATCH) : undefined;
const TARGET_P95_MS = 50;
const TARGET_SPEEDUP = 20;
// Read model: 3 warm-ups, then up to 30 runs (at least 10 if a query is slow: ~20 s per query).
const READ_RUNS = { warmups: 3, maxRuns: 30, minRuns: 10, budgetMs: 20_000 };
// Raw: up to 3 warm-ups (1 if slow), then up to 30 runs within ~10 s, at least 5.
const RAW_RUNS = { warmups: 3, warmupBudgetMs: 1_500, maxRuns: 30, minRuns: 5, budgetMs: 10_000 };
// Hard stop of this script (the build before it takes ~30 s): at 1M rows the whole command stays under
// 8 minutes. VT_BENCH_QUERY_WATCHDOG_S overrides it; larger data sets get ~7 minutes per million rows.
// VT_BENCH_QUERY_KEEP=1: a successful run leaves its database (name printed) for EXPLAIN in psql.
const KEEP_DATABASE = process.env.VT_BENCH_QUERY_KEEP === '1';
const WATCHDOG_MS = Number(process.env.VT_BENCH_QUERY_WATCHDOG_S ?? Math.max(420, Math.ceil((ROWS / 1_000_000) * 420))) * 1000;
// The read models the projector writes (vacuumed after catch-up, sizes reported).
const READ_MODEL_TABLES = [
  'events', 'event_counts_hourly', 'event_counts_daily', 'identity_links', 'people', 'person_events', 'person_hours',
  'activity_hourly', 'event_activity_hourly', 'property_rollups', 'property_values', 'property_counts_hourly',
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.now();
const runId = randomBytes(4).toString('hex');
// VT_BENCH_QUERY_REUSE: a kept database (VT_BENCH_QUERY_KEEP=1) whose queries are timed again, left in place.
const REUSED = process.env.VT_BENCH_QUERY_REUSE || null;
const dbName = REUSED ?? `vt_bench_q_${runId}`;
const dbUrl = databaseUrl(dbName);
const state = { dbCreated: false, pool: null, rawClient: null, cleaning: null, exiting: false };

// ---------------------------------------------------------------------------------------------------
// Main flow

async function main() {
  const results = {
    meta: {
      startedAt: new Date(t0).toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      postgresVersion: await serverVersion(),
      database: dbName,
      rows: ROWS,
      users: USERS,
      visitors: VISITORS,
      days: DAYS,
      seed: SEED,
      projectorBatch: PROJECTOR_BATCH ?? 'default',
      readRuns: READ_RUNS,
      rawRuns: RAW_RUNS,
    },
    load: null,
    projector: null,
    sizes: null,
    queries: [],
    checks: [],
    info: [],
    targets: [],
    explains: [],
    anomalies: [],
    failures: [],
  };

  if (!REUSED) {
    await createDatabase(dbName);
    state.dbCreated = true;
  }
  results.meta.settings = await withClient(dbUrl, async (c) => {
    const names = ['shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather', 'jit', 'random_page_cost', 'TimeZone'];
    const { rows } = await c.query('select name, setting, unit from pg_settings where name = any($1)', [names]);
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting]));
  });
  log(`database ${dbName}; PostgreSQL ${results.meta.postgresVersion}; ${JSON.stringify(results.meta.settings)}`);

  // Our own pool (so EXPLAIN can replay the exact statements the store sends); the storage does not end it.
  const capture = { on: false, statements: [] };
  state.pool = capturingPool(dbUrl, capture);
  const storage = createPostgresStorage({ pool: state.pool });
  await storage.migrate();
  const platform = createPlatform({ storage });
  let systemId;
  let end;
  if (REUSED) {
    ({ systemId, end } = await reusedData(results));
  } else {
    const partner = expectOk(await platform.createPartner({ name: `Query bench ${runId}`, email: 'bench@example.com' }), 'createPartner');
    const added = expectOk(await platform.addSystem(partner.id, { name: 'query bench' }), 'addSystem');
    systemId = added.system.id;
    end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const dataset = createDataset({ systemId, rows: ROWS, users: USERS, visitors: VISITORS, days: DAYS, end, seed: SEED });
    results.meta.range = { from: new Date(dataset.startMs).toISOString(), to: end.toISOString() };

    results.load = await loadEvents(dataset);
    if (results.load.stored !== ROWS) fail(results, `load: ${results.load.stored} rows stored, ${ROWS} expected`);
    await checkpoint(dbUrl);

    results.projector = await project(storage, results);
    await checkpoint(dbUrl);
  }
  log(`system ${systemId}`);
  results.sizes = await tableSizes();

  state.rawClient = new pg.Client({ connectionString: dbUrl, statement_timeout: 120_000 });
  state.rawClient.on('error', () => {});
  await state.rawClient.connect();

  const defs = queryDefs(systemId, end);
  for (const def of defs) {
    results.queries.push(await benchQuery(def, storage, state.rawClient, capture, results));
  }
  // Every API answer reads the projection status first: it is part of the answer and of the cache key.
  const statusRuns = await timeRuns(() => storage.analytics.status(), { warmups: 5, warmupBudgetMs: 2000, maxRuns: 100, minRuns: 30, budgetMs: 5000 });
  results.statusRead = statusRuns.summary;
  log(`projection status (read by every API answer): p50 ${fmtMs(statusRuns.summary.p50)} ms, p95 ${fmtMs(statusRuns.summary.p95)} ms`);
  results.api = await timeThroughHandler(platform, storage, systemId, end);
  log(`through createHandler: cached answer p50 ${fmtMs(results.api.cached.p50)} ms; funnel p50 ${fmtMs(results.api.funnel.p50)} ms against ${fmtMs(results.api.storageFunnel.p50)} ms from the store`);

  results.targets = results.queries.flatMap((q) => [
    { query: q.name, check: `p95 <= ${TARGET_P95_MS} ms`, shown: q.read ? `${fmtMs(q.read.p95)} ms` : 'n/a', met: q.read !== null && q.read.p95 <= TARGET_P95_MS },
    {
      query: q.name,
      check: `raw/read p50 >= ${TARGET_SPEEDUP}x`,
      shown: q.speedupP50 === null ? 'n/a' : `${q.speedupP50.toFixed(1)}x`,
      met: q.speedupP50 !== null && q.speedupP50 >= TARGET_SPEEDUP,
    },
  ]);

  // EXPLAIN (ANALYZE, BUFFERS) of every read-model query that misses the latency target.
  for (const [i, q] of results.queries.entries()) {
    if (!q.read || q.read.p95 <= TARGET_P95_MS) continue;
    try {
      results.explains.push(await explainReadQuery(defs[i], q, storage, capture));
    } catch (error) {
      results.anomalies.push(`EXPLAIN of ${q.name} failed: ${error.message}`);
    }
  }

  await platform.close().catch(() => {});
  results.meta.elapsedS = (Date.now() - t0) / 1000;
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Load and projection

async function loadEvents(dataset) {
  log(`generating and COPYing ${fmtInt(ROWS)} events (${dataset.specials} identify/alias/group calls among them)…`);
  return withClient(
    dbUrl,
    async (c) => {
      const started = performance.now();
      const stats = await dataset.copyInto(c, { transactions: 10 });
      const seconds = (performance.now() - started) / 1000;
      const stored = Number((await c.query('select count(*)::int8 as n from write_model.tracking_events')).rows[0].n);
      log(`load: ${fmtInt(stats.rows)} rows in ${seconds.toFixed(1)} s = ${fmtInt(stats.rows / seconds)} rows/s (${(stats.bytes / 1e6).toFixed(0)} MB of COPY text, generated on the fly)`);
      const vacuumStarted = performance.now();
      await c.query('vacuum (analyze) write_model.tracking_events');
      const vacuumS = (performance.now() - vacuumStarted) / 1000;
      log(`vacuum analyze write_model.tracking_events: ${vacuumS.toFixed(1)} s`);
      return { rows: stats.rows, stored, seconds, rowsPerS: stats.rows / seconds, copyMB: stats.bytes / 1e6, byType: stats.byType, anonymousOnlyEvents: stats.anonymousOnly, visitorEvents: stats.visitorEvents, vacuumAnalyzeS: vacuumS };
    },
    { statementTimeoutMs: 0 },
  );
}

// A kept database: its system, the end of its data (generated up to a whole hour), and a projection
// that must be complete (the queries are compared with the raw ones over the whole log).
async function reusedData(results) {
  return withClient(dbUrl, async (c) => {
    const { rows } = await c.query(`select (select id from write_model.partner_systems limit 1) as id, max(timestamp) as last, count(*)::int8 as rows,
        (select projected_events from read_model.projection_checkpoints where name = 'main')::int8 as projected
      from write_model.tracking_events`);
    const { id, last, rows: count, projected } = rows[0];
    if (Number(count) !== ROWS) throw new Error(`${dbName} holds ${count} events; set VT_BENCH_QUERY_ROWS=${count}`);
    if (Number(projected) !== ROWS) throw new Error(`${dbName}: ${projected} of ${count} events projected`);
    const end = new Date(Math.floor(last.getTime() / HOUR) * HOUR + HOUR);
    results.meta.range = { from: new Date(end.getTime() - DAYS * DAY).toISOString(), to: end.toISOString() };
    results.meta.reused = true;
    log(`reusing ${dbName}: ${fmtInt(Number(count))} events, all projected; data ends ${end.toISOString()}`);
    return { systemId: id, end };
  });
}

async function project(storage, results) {
  log(`projector catch-up (batchSize ${PROJECTOR_BATCH ?? 'default'})…`);
  const started = performance.now();
  const applied = await new Projector(storage, PROJECTOR_BATCH ? { batchSize: PROJECTOR_BATCH } : {}).catchUp();
  const seconds = (performance.now() - started) / 1000;
  log(`projector: ${fmtInt(applied)} events in ${seconds.toFixed(1)} s = ${fmtInt(applied / seconds)} events/s`);
  const status = await storage.analytics.status();
  const counted = await withClient(dbUrl, async (c) => {
    const { rows } = await c.query(`select
      (select count(*) from read_model.events)::int8 as events,
      (select coalesce(sum(count), 0) from read_model.event_counts_hourly)::int8 as counted,
      (select coalesce(sum(events), 0) from read_model.activity_hourly)::int8 as hourly,
      (select count(*) from read_model.identity_links)::int8 as links,
      (select count(*) from read_model.person_events)::int8 as "personEvents"`);
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  });
  const ok = applied === ROWS && status.projectedEvents === ROWS && status.behindEvents === 0 && counted.events === ROWS && counted.counted === ROWS && counted.hourly === ROWS;
  const line = `applied ${fmtInt(applied)}, status.projectedEvents ${fmtInt(status.projectedEvents)}, behind ${fmtInt(status.behindEvents)}, read_model.events ${fmtInt(counted.events)}, sum(event_counts_hourly.count) ${fmtInt(counted.counted)}, sum(activity_hourly.events) ${fmtInt(counted.hourly)} (expected ${fmtInt(ROWS)} each, behind 0)`;
  results.checks.push({ query: 'projection', status: ok ? 'OK' : 'MISMATCH', detail: line });
  if (!ok) fail(results, `projection: ${line}`);
  const vacuumStarted = performance.now();
  await withClient(dbUrl, (c) => c.query(`vacuum (analyze) ${READ_MODEL_TABLES.map((t) => `read_model.${t}`).join(', ')}`), { statementTimeoutMs: 0 });
  const vacuumS = (performance.now() - vacuumStarted) / 1000;
  log(`vacuum analyze read_model.*: ${vacuumS.toFixed(1)} s; identity_links ${fmtInt(counted.links)}, person_events ${fmtInt(counted.personEvents)} rows`);
  return { applied, seconds, eventsPerS: applied / seconds, status, counted, vacuumAnalyzeS: vacuumS };
}

async function tableSizes() {
  return withClient(dbUrl, async (c) => {
    // A partitioned table (person_events) counts its partitions.
    const { rows } = await c.query(`select n.nspname || '.' || c.relname as name,
        coalesce((select sum(pg_total_relation_size(t.relid)) from pg_partition_tree(c.oid) t), pg_total_relation_size(c.oid)) as total,
        coalesce((select sum(pg_relation_size(t.relid)) from pg_partition_tree(c.oid) t), pg_relation_size(c.oid)) as heap,
        coalesce((select sum(greatest(p.reltuples, 0))::int8 from pg_partition_tree(c.oid) t join pg_class p on p.oid = t.relid where t.isleaf), c.reltuples::int8) as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition
        and ((n.nspname = 'write_model' and c.relname = 'tracking_events') or (n.nspname = 'read_model' and c.relname = any($1)))
      order by 1`, [READ_MODEL_TABLES]);
    return rows.map((r) => ({ table: r.name, rows: Number(r.rows), heapMB: Number(r.heap) / 1e6, totalMB: Number(r.total) / 1e6 }));
  });
}

// ---------------------------------------------------------------------------------------------------
// The queries: parameters per run index (warm-ups use indices >= 100), the read-model call, the raw
// call, and how the two answers compare.

function queryDefs(systemId, end) {
  const endMs = end.getTime();
  // A window of `days` ending `backHours` before the end of the data.
  const window = (days, backHours) => ({ from: new Date(endMs - backHours * HOUR - days * DAY), to: new Date(endMs - backHours * HOUR) });
  const triples = [
    [0, 1, 2], [0, 4, 7], [1, 2, 4], [0, 2, 4], [2, 4, 6], [1, 4, 7], [0, 1, 4], [3, 4, 6],
  ].map((t) => t.map((r) => TRACK_EVENTS[r]));
  return [
    {
      name: 'timeseries day UTC 30d',
      params: (i) => ({ systemId, ...window(30, i % 24), interval: 'day', tz: 'UTC' }),
      read: (s, p) => s.analytics.timeseries(p),
      raw: (c, p) => rawTimeseries(c, p),
      compare: compareTimeseries,
    },
    {
      name: 'timeseries hour Berlin 7d 1 event',
      params: (i) => ({ systemId, ...window(7, (i % 23) * 24), interval: 'hour', tz: 'Europe/Berlin', event: TRACK_EVENTS[i % 10] }),
      read: (s, p) => s.analytics.timeseries(p),
      raw: (c, p) => rawTimeseries(c, p),
      compare: compareTimeseries,
    },
    {
      name: 'topEvents 30d limit 10',
      params: (i) => ({ systemId, ...window(30, i % 24), limit: 10 }),
      read: (s, p) => s.analytics.topEvents(p),
      raw: (c, p) => rawTopEvents(c, p),
      compare: (a, b) => compareExact(a, b, (r) => `${r.event}=${r.count}`),
    },
    {
      name: 'breakdown by plan 30d',
      params: (i) => ({ systemId, event: TRACK_EVENTS[i % 5], property: 'plan', ...window(30, i % 24), limit: 20 }),
      read: (s, p) => s.analytics.breakdown(p),
      raw: (c, p) => rawBreakdown(c, p),
      compare: (a, b) => compareExact(a, b, (r) => `${JSON.stringify(r.value)}=${r.count}`),
    },
    {
      name: 'funnel 3 steps P1D 30d',
      params: (i) => ({ systemId, steps: triples[i % triples.length], withinMs: DAY, ...window(30, i % 24) }),
      read: (s, p) => s.analytics.funnel(p),
      raw: (c, p) => rawFunnel(c, p),
      compare: compareFunnel,
    },
    {
      // Users spread over the activity range (user-0 is the busiest; power law), one per run.
      name: 'userProfile limit 50',
      params: (i) => ({ systemId, userId: `user-${(i * 337 + 11) % USERS}`, limit: 50 }),
      read: (s, p) => s.analytics.userProfile(p.systemId, p.userId, p.limit),
      raw: (c, p) => rawUserProfile(c, p.systemId, p.userId, p.limit),
      compare: compareProfile,
    },
    {
      // Keyset pagination (seq < cursor) with a filter: 3 pages of 100 of a mid-popularity event.
      name: 'events list by event, 3 pages',
      params: (i) => ({ systemId, event: TRACK_EVENTS[10 + (i % 30)], pages: 3, limit: 100 }),
      read: (s, p) => listPages((beforeSeq) => s.events.list(p.systemId, { event: p.event, limit: p.limit + 1, beforeSeq }), p),
      raw: (c, p) => listPages((beforeSeq) => rawListEvents(c, p.systemId, { event: p.event }, p.limit + 1, beforeSeq), p),
      compare: (a, b) => compareExact(a, b, (id) => id),
    },
    {
      name: 'events list by userId, 1 page',
      params: (i) => ({ systemId, userId: `user-${(i * 337 + 11) % USERS}`, pages: 1, limit: 100 }),
      read: (s, p) => listPages((beforeSeq) => s.events.list(p.systemId, { userId: p.userId, limit: p.limit + 1, beforeSeq }), p),
      raw: (c, p) => listPages((beforeSeq) => rawListEvents(c, p.systemId, { user_id: p.userId }, p.limit + 1, beforeSeq), p),
      compare: (a, b) => compareExact(a, b, (id) => id),
    },
  ];
}

/** Follows the cursor (last seq of a page) for `pages` pages of `limit`; returns the messageIds seen. */
async function listPages(fetchPage, { pages, limit }) {
  const ids = [];
  let beforeSeq;
  for (let page = 0; page < pages; page++) {
    const rows = await fetchPage(beforeSeq);
    const data = rows.slice(0, limit);
    ids.push(...data.map((e) => e.messageId ?? e.message_id));
    if (rows.length <= limit) break;
    beforeSeq = String(data[data.length - 1].seq);
  }
  return ids;
}

async function benchQuery(def, storage, rawClient, capture, results) {
  const entry = { name: def.name, read: null, raw: null, speedupP50: null, speedupP95: null, check: null, sample: null };
  let readAnswers = [];
  try {
    const r = await timeRuns((i) => def.read(storage, def.params(i)), { ...READ_RUNS, warmupBudgetMs: Infinity });
    readAnswers = r.answers;
    entry.read = r.summary;
    log(`${def.name}: read model p50 ${fmtMs(r.summary.p50)} ms, p95 ${fmtMs(r.summary.p95)} ms (${r.summary.runs} runs)`);
  } catch (error) {
    fail(results, `${def.name} (read model): ${error.message}`);
    log(`${def.name}: read model FAILED: ${error.stack ?? error.message}`);
    return entry;
  }
  const remainingS = (WATCHDOG_MS - (Date.now() - t0)) / 1000;
  // Late in the run, the raw baseline falls back to its minimum number of runs.
  const rawRuns = remainingS < 90 ? { ...RAW_RUNS, warmups: 1, maxRuns: RAW_RUNS.minRuns } : RAW_RUNS;
  let rawAnswers = [];
  try {
    const r = await timeRuns((i) => def.raw(rawClient, def.params(i)), rawRuns);
    rawAnswers = r.answers;
    entry.raw = r.summary;
    log(`${def.name}: raw write model p50 ${fmtMs(r.summary.p50)} ms, p95 ${fmtMs(r.summary.p95)} ms (${r.summary.runs} runs)`);
  } catch (error) {
    fail(results, `${def.name} (raw): ${error.message}`);
    log(`${def.name}: raw FAILED: ${error.stack ?? error.message}`);
  }
  if (entry.read && entry.raw) {
    entry.speedupP50 = entry.raw.p50 / entry.read.p50;
    entry.speedupP95 = entry.raw.p95 / entry.read.p95;
  }
  // Compare run by run: run i of both used the same parameters.
  const compared = Math.min(readAnswers.length, rawAnswers.length);
  const outcomes = [];
  for (let i = 0; i < compared; i++) outcomes.push({ i, ...def.compare(readAnswers[i], rawAnswers[i], def.params(i)) });
  entry.check = summarizeOutcomes(def.name, outcomes, results);
  entry.sample = { params: def.params(0), read: shorten(readAnswers[0]), raw: shorten(rawAnswers[0]) };
  return entry;
}

/**
 * What a client of the HTTP API waits for, in process (no socket): a cached answer (the projection
 * status, the system lookup and the cache), and the funnel uncached, alternating with the same query
 * from the store on other windows so that neither is served from a cache.
 */
async function timeThroughHandler(platform, storage, systemId, end) {
  const issued = expectOk(await platform.issueKey(systemId, { kind: 'secret' }), 'issueKey');
  const handler = createHandler({ platform, admin: await platform.setUpAdminToken(randomBytes(24).toString('hex')), rateLimits: false });
  const headers = { authorization: `Bearer ${issued.key}` };
  const get = async (path) => {
    const response = await handler(new Request(`http://bench${path}`, { headers }));
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const endMs = end.getTime();
  const cachedPath = `/api/systems/${systemId}/stats/top-events?from=${new Date(endMs - 30 * DAY).toISOString()}&to=${end.toISOString()}`;
  const cached = await timeRuns(() => get(cachedPath), { warmups: 3, warmupBudgetMs: 5000, maxRuns: 200, minRuns: 30, budgetMs: 10_000 });
  const steps = TRACK_EVENTS.slice(0, 3);
  // Windows shifted by minutes (the API widens them to whole hours), one per run and side.
  const window = (i) => ({ from: new Date(endMs - 30 * DAY - i * HOUR), to: new Date(endMs - i * HOUR) });
  const funnelRuns = { api: [], store: [] };
  for (let i = 0; i < 30; i++) {
    const a = window(2 * i + 1);
    let started = performance.now();
    await get(`/api/systems/${systemId}/funnels?steps=${steps.map(encodeURIComponent).join(',')}&within=P1D&from=${a.from.toISOString()}&to=${a.to.toISOString()}`);
    funnelRuns.api.push(performance.now() - started);
    const b = window(2 * i + 2);
    started = performance.now();
    await storage.analytics.funnel({ systemId, steps, withinMs: DAY, ...b });
    funnelRuns.store.push(performance.now() - started);
  }
  return { cached: cached.summary, funnel: summarize(funnelRuns.api), storageFunnel: summarize(funnelRuns.store) };
}

/**
 * Warm-ups (parameter indices 100+), then measured runs with indices 0, 1, …: at most `maxRuns`, and
 * no more once `budgetMs` is spent and `minRuns` are done. Latency is wall time in this process
 * (query, transfer and row parsing), one query at a time.
 */
async function timeRuns(run, { warmups, warmupBudgetMs, maxRuns, minRuns, budgetMs }) {
  const warmStarted = performance.now();
  let warmupsDone = 0;
  for (let w = 0; w < warmups; w++) {
    await run(100 + w);
    warmupsDone++;
    if (performance.now() - warmStarted > warmupBudgetMs) break;
  }
  const samples = [];
  const answers = [];
  const started = performance.now();
  for (let i = 0; i < maxRuns; i++) {
    const s = performance.now();
    answers.push(await run(i));
    samples.push(performance.now() - s);
    const spent = performance.now() - started;
    if (samples.length >= minRuns && spent + spent / samples.length > budgetMs) break;
  }
  return { answers, summary: { ...summarize(samples), warmups: warmupsDone } };
}

/** Runs, p50 and p95 (nearest rank), min, max and the samples of a list of latencies. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { runs: samples.length, p50: rank(0.5), p95: rank(0.95), min: sorted[0], max: sorted[sorted.length - 1], samplesMs: samples.map((x) => Math.round(x * 100) / 100) };
}

// ---------------------------------------------------------------------------------------------------
// Comparisons. Each returns {status: 'OK' | 'MISMATCH' | 'INFO', detail, …}; MISMATCH fails the run.

function compareExact(a, b, key) {
  const x = a.map(key).join(', ');
  const y = b.map(key).join(', ');
  return x === y ? { status: 'OK', rows: a.length } : { status: 'MISMATCH', detail: `read model [${x}] vs raw [${y}]` };
}

function compareTimeseries(a, b) {
  const byBucket = (rows) => new Map(rows.map((r) => [r.bucket.getTime(), r]));
  const ra = byBucket(a);
  const rb = byBucket(b);
  const diffs = [];
  let readUniques = 0;
  let rawUniques = 0;
  let uniquesAboveRaw = 0;
  for (const t of new Set([...ra.keys(), ...rb.keys()])) {
    const x = ra.get(t);
    const y = rb.get(t);
    if (!x || !y || x.count !== y.count) diffs.push(`${new Date(t).toISOString()}: read ${x?.count ?? 'none'} vs raw ${y?.count ?? 'none'}`);
    if (x && y) {
      readUniques += x.uniqueUsers;
      rawUniques += y.uniqueUsers;
      // Merging ids can only make fewer people, never more.
      if (x.uniqueUsers > y.uniqueUsers) uniquesAboveRaw++;
    }
  }
  const uniques = { readUniques, rawUniques, uniquesAboveRaw };
  if (diffs.length > 0) return { status: 'MISMATCH', detail: `${diffs.length} bucket(s) differ, e.g. ${diffs.slice(0, 3).join('; ')}`, uniques };
  return { status: 'OK', rows: a.length, uniques };
}

function compareFunnel(a, b, p) {
  const same = a.every((s, i) => s.users === b[i].users);
  const monotone = a.every((s, i) => i === 0 || s.users <= a[i - 1].users);
  return { status: 'INFO', same, monotone, detail: `${p.steps.join(' > ')}: read ${a.map((s) => s.users).join('/')} vs raw ${b.map((s) => s.users).join('/')}` };
}

function compareProfile(a, b, p) {
  const norm = (x) =>
    x && JSON.stringify({ ...x, firstSeen: x.firstSeen.getTime(), lastSeen: x.lastSeen.getTime(), timeline: x.timeline.map((e) => ({ ...e, timestamp: new Date(e.timestamp).getTime() })) });
  const same = norm(a) === norm(b);
  return {
    status: 'INFO',
    same,
    detail: `${p.userId}: read ${a ? `${a.identities.length} ids, ${a.timeline.length} timeline events` : 'null'} vs raw ${b ? `${b.identities.length} ids, ${b.timeline.length} timeline events` : 'null'}`,
  };
}

function summarizeOutcomes(name, outcomes, results) {
  if (outcomes.length === 0) return { status: 'n/a', compared: 0, detail: 'nothing to compare (a side failed)' };
  const mismatches = outcomes.filter((o) => o.status === 'MISMATCH');
  if (mismatches.length > 0) {
    const detail = `${mismatches.length}/${outcomes.length} runs differ; run ${mismatches[0].i}: ${mismatches[0].detail}`;
    fail(results, `${name}: count MISMATCH: ${detail}`);
    results.checks.push({ query: name, status: 'MISMATCH', detail });
    return { status: 'MISMATCH', compared: outcomes.length, detail };
  }
  const summary = { status: outcomes[0].status, compared: outcomes.length };
  if (outcomes[0].uniques) {
    const read = outcomes.reduce((s, o) => s + o.uniques.readUniques, 0);
    const raw = outcomes.reduce((s, o) => s + o.uniques.rawUniques, 0);
    const above = outcomes.reduce((s, o) => s + o.uniques.uniquesAboveRaw, 0);
    summary.detail = `counts equal in every bucket of ${outcomes.length} runs`;
    results.checks.push({ query: name, status: 'OK', detail: summary.detail });
    const line = `${name}: unique users summed over buckets: read model (ids merged) ${fmtInt(read)} vs raw distinct coalesce(user_id, anonymous_id) ${fmtInt(raw)} (${pctDiff(read, raw)}); raw does not merge identities`;
    results.info.push(line);
    if (above > 0) results.anomalies.push(`${name}: ${above} bucket(s) where the read model counts MORE unique users than distinct raw ids (merging can only reduce)`);
  } else if (summary.status === 'OK') {
    summary.detail = `answers equal in ${outcomes.length} runs`;
    results.checks.push({ query: name, status: 'OK', detail: summary.detail });
  } else {
    const same = outcomes.filter((o) => o.same).length;
    summary.detail = `${same}/${outcomes.length} runs give the same answer; e.g. ${outcomes[0].detail}`;
    results.info.push(`${name}: ${summary.detail}${name.startsWith('funnel') ? ' (raw does not merge identities; the read model does)' : ''}`);
    const broken = outcomes.filter((o) => o.monotone === false);
    if (broken.length > 0) results.anomalies.push(`${name}: a later funnel step has more users than an earlier one (${broken[0].detail})`);
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------------
// EXPLAIN of slow read-model queries: the exact statements the store sends, captured from the pool.

function capturingPool(url, capture) {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  const connect = pool.connect.bind(pool);
  const wrapped = new WeakSet();
  pool.connect = async (...args) => {
    if (args.length > 0) return connect(...args);
    const client = await connect();
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const query = client.query.bind(client);
      client.query = (...a) => {
        if (capture.on && typeof a[0] === 'string') capture.statements.push({ sql: a[0], params: a[1] ?? [] });
        return query(...a);
      };
    }
    return client;
  };
  return pool;
}

async function explainReadQuery(def, q, storage, capture) {
  capture.statements = [];
  capture.on = true;
  try {
    await def.read(storage, q.sample.params);
  } finally {
    capture.on = false;
  }
  const statements = capture.statements;
  return withClient(dbUrl, async (c) => {
    const plans = [];
    for (const s of statements) {
      const { rows } = await c.query(`explain (analyze, buffers) ${s.sql}`, s.params);
      const lines = rows.map((r) => r['QUERY PLAN']);
      const execution = lines.find((l) => l.startsWith('Execution Time'));
      plans.push({ sql: s.sql.replace(/\s+/g, ' ').trim(), params: s.params.map((p) => (p instanceof Date ? p.toISOString() : p)), executionMs: execution ? Number(/([\d.]+) ms/.exec(execution)[1]) : null, plan: lines });
    }
    return { query: q.name, p95: q.read.p95, params: q.sample.params, statements: plans };
  });
}

// ---------------------------------------------------------------------------------------------------
// Report

function renderReport(results) {
  const out = [];
  const { meta, load, projector } = results;
  out.push('');
  out.push(`Volcanion Tracking query benchmark — ${meta.startedAt}`);
  out.push(`node ${meta.node}, ${meta.cpus} CPU(s), PostgreSQL ${meta.postgresVersion} (${Object.entries(meta.settings ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')})`);
  out.push(`data: ${fmtInt(meta.rows)} events, ${meta.days} days (${meta.range?.from} .. ${meta.range?.to}), ${fmtInt(meta.users)} users + ${fmtInt(meta.visitors)} anonymous visitors, ${TRACK_EVENTS.length} track event names (Zipf), seed ${meta.seed}`);
  if (load) {
    out.push(`  by type: ${Object.entries(load.byType).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ')}; anonymous-only events ${fmtInt(load.anonymousOnlyEvents)} (${fmtInt(load.visitorEvents)} of never-identified visitors)`);
    out.push(`load (COPY, 10 transactions, rows generated on the fly): ${fmtInt(load.rows)} rows in ${load.seconds.toFixed(1)} s = ${fmtInt(load.rowsPerS)} rows/s (${load.copyMB.toFixed(0)} MB COPY text); then VACUUM ANALYZE ${load.vacuumAnalyzeS.toFixed(1)} s`);
  }
  if (projector) {
    out.push(`projector catch-up (batchSize ${meta.projectorBatch}): ${fmtInt(projector.applied)} events in ${projector.seconds.toFixed(1)} s = ${fmtInt(projector.eventsPerS)} events/s; then VACUUM ANALYZE of read_model.* ${projector.vacuumAnalyzeS.toFixed(1)} s`);
  }
  if (results.sizes) {
    out.push(`tables (rows: planner estimate; MB incl. indexes): ${results.sizes.map((s) => `${s.table} ~${fmtInt(s.rows)} rows ${s.totalMB.toFixed(0)} MB`).join('; ')}`);
  }
  out.push('');
  out.push('Query latency in ms (one query at a time; read = storage.analytics.*; raw = SQL over write_model.tracking_events only)');
  out.push(
    table(
      ['query', 'read runs', 'read p50', 'read p95', 'raw runs', 'raw p50', 'raw p95', 'raw/read p50', 'raw/read p95', 'answers'],
      results.queries.map((q) => [
        q.name,
        q.read ? `${q.read.runs}+${q.read.warmups}w` : 'failed',
        q.read ? fmtMs(q.read.p50) : 'n/a',
        q.read ? fmtMs(q.read.p95) : 'n/a',
        q.raw ? `${q.raw.runs}+${q.raw.warmups}w` : 'failed',
        q.raw ? fmtMs(q.raw.p50) : 'n/a',
        q.raw ? fmtMs(q.raw.p95) : 'n/a',
        q.speedupP50 === null ? 'n/a' : `${q.speedupP50.toFixed(1)}x`,
        q.speedupP95 === null ? 'n/a' : `${q.speedupP95.toFixed(1)}x`,
        q.check?.status ?? 'n/a',
      ]),
      [false, true, true, true, true, true, true, true, true, false],
    ),
  );
  out.push('  runs: measured + warm-ups (w); parameters differ per run (windows shifted by hours/days, events and users rotated);');
  out.push('  p95 = nearest rank (with 5 runs it is the maximum). answers: OK/MISMATCH = counts compared run by run with the same');
  out.push('  parameters; INFO = compared for information only (identity merging).');
  if (results.statusRead) {
    out.push(`  projection status, read before every API answer (cached or not): p50 ${fmtMs(results.statusRead.p50)} ms, p95 ${fmtMs(results.statusRead.p95)} ms (${results.statusRead.runs} runs)`);
  }
  if (results.api) {
    const { cached, funnel, storageFunnel } = results.api;
    out.push(`  through createHandler (in process, secret key, no rate limits): a cached answer (top events) p50 ${fmtMs(cached.p50)} ms, p95 ${fmtMs(cached.p95)} ms;`);
    out.push(`  the funnel uncached p50 ${fmtMs(funnel.p50)} ms, p95 ${fmtMs(funnel.p95)} ms, against ${fmtMs(storageFunnel.p50)} / ${fmtMs(storageFunnel.p95)} ms from the store in the same loop`);
  }
  out.push('');
  out.push('Targets');
  out.push(table(['query', 'check', 'measured', 'status'], results.targets.map((t) => [t.query, t.check, t.shown, t.met ? 'MET' : 'NOT MET']), [false, false, true, false]));
  out.push('');
  out.push('Count checks');
  for (const c of results.checks) out.push(`  ${c.status.padEnd(8)} ${c.query}: ${c.detail}`);
  out.push('');
  out.push('Identity merging (informational: the raw write-model SQL does NOT merge anonymous and identified ids; the read model does)');
  for (const line of results.info) out.push(`  ${line}`);
  if (results.explains.length > 0) {
    out.push('');
    out.push(`Read-model queries missing p95 <= ${TARGET_P95_MS} ms: EXPLAIN (ANALYZE, BUFFERS) with the first run's parameters`);
    for (const e of results.explains) {
      out.push(`  ${e.query} (p95 ${fmtMs(e.p95)} ms)`);
      for (const s of e.statements) {
        if (e.statements.length > 1 && s.executionMs !== null && s.executionMs < 2) {
          out.push(`    [${s.executionMs} ms] ${s.sql.slice(0, 140)}…`);
          continue;
        }
        out.push(`    statement (${s.executionMs} ms): ${s.sql.slice(0, 300)}${s.sql.length > 300 ? '…' : ''}`);
        for (const line of s.plan.slice(0, 45)) out.push(`      ${line}`);
        if (s.plan.length > 45) out.push(`      … ${s.plan.length - 45} more plan lines in the JSON`);
      }
    }
  }
  out.push('');
  out.push('Anomalies');
  if (results.anomalies.length === 0) out.push('  none');
  for (const a of results.anomalies) out.push(`  - ${a}`);
  out.push('');
  out.push(results.failures.length === 0 ? 'Result: no crash, no count mismatch (exit 0)' : `Result: FAILED (exit 1): ${results.failures.join('; ')}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function expectOk(result, what) {
  if (!result.ok) throw new Error(`${what} failed: ${result.error?.message ?? JSON.stringify(result.error)}`);
  return result.value;
}

function fail(results, message) {
  results.failures.push(message);
}

function shorten(answer) {
  if (Array.isArray(answer)) return answer.length > 12 ? [...answer.slice(0, 12), `… ${answer.length - 12} more`] : answer;
  if (answer && Array.isArray(answer.timeline)) return { ...answer, timeline: answer.timeline.slice(0, 3), timelineLength: answer.timeline.length };
  return answer ?? null;
}

function pctDiff(a, b) {
  return b === 0 ? 'n/a' : `${(((a - b) / b) * 100).toFixed(1)} %`;
}
function fmtInt(n) {
  return n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US');
}
function fmtMs(n) {
  return n === null || n === undefined ? 'n/a' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US');
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    }),
  ]);
}

function log(message) {
  process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function writeResults(results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `query-${new Date(t0).toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle: every exit path closes our connections and drops the database.

async function cleanup() {
  state.cleaning ??= (async () => {
    await state.rawClient?.end().catch(() => {});
    if (state.pool) await withTimeout(state.pool.end(), 5_000, 'pool end').catch(() => {});
    // `with (force)` also ends connections still busy (a query cut off by a signal or the watchdog).
    if (state.dbCreated) await withTimeout(dropDatabase(dbName), 20_000, 'drop database').catch((e) => console.error(`could not drop ${dbName}: ${e.message}`));
  })();
  return state.cleaning;
}

async function finish(code) {
  if (state.exiting) return;
  state.exiting = true;
  setTimeout(() => process.exit(code), 30_000).unref();
  await cleanup().catch((e) => console.error(`cleanup: ${e.message}`));
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: dropping ${dbName}`);
    finish(130);
  });
}
process.on('uncaughtException', (error) => {
  console.error('uncaught exception:', error);
  finish(1);
});
process.on('unhandledRejection', (error) => {
  console.error('unhandled rejection:', error);
  finish(1);
});
setTimeout(() => {
  console.error(`watchdog: the benchmark exceeded ${WATCHDOG_MS / 1000} s; stopping`);
  finish(1);
}, WATCHDOG_MS).unref();

main().then(
  (results) => {
    console.log(renderReport(results));
    const file = writeResults(results);
    console.log(`\nJSON: ${relative(ROOT, file)} (total ${results.meta.elapsedS.toFixed(0)} s)`);
    if (KEEP_DATABASE && results.failures.length === 0) {
      state.dbCreated = false;
      console.log(`kept database ${dbName} (drop it with: dropdb -h 127.0.0.1 -U postgres ${dbName})`);
    }
    return finish(results.failures.length > 0 ? 1 : 0);
  },
  (error) => {
    // After SIGINT/SIGTERM or the watchdog, the dropped database makes the running step fail: not news.
    if (!state.exiting) console.error(`benchmark failed: ${error.stack ?? error.message}`);
    return finish(1);
  },
);
