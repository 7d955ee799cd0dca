// Ingestion benchmark of the Volcanion Tracking server, with baselines measured in the same run.
//
//   npx -y pnpm@10.34.9 bench:ingest      (builds, then runs this file; ~3 minutes)
//
// What it does, in order:
//   1. creates a throwaway database vt_bench_<random> on 127.0.0.1:5432 and a temp dir for PGlite;
//   2. baselines: bare node:http (parse JSON, answer), a naive one-INSERT-per-event handler, raw COPY;
//   3. our server in PostgreSQL mode, then in PGlite mode: /v1/batch (100 events/request, 10 and, if the
//      time budget allows, 32 connections) and /v1/track (50 connections), each after a warm-up; RSS of
//      the server sampled every 500 ms; after each mode, stored events are counted and compared with the
//      acknowledged ones;
//   4. prints a table, ratios and targets; writes the same as JSON to scripts/bench/results/.
// Exit code: 1 on a count mismatch, a server crash or a broken run; 0 otherwise, even if targets are
// NOT MET (the targets are information, not a gate). Children are killed and the database dropped on
// every exit path (normal end, error, SIGINT/SIGTERM, watchdog).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anyChildAlive, crashed, describeExit, killAllChildren, sampleRss, startChild, stopChild } from './lib/children.mjs';
import {
  checkpoint,
  copyBaseline,
  countRows,
  createBaselineTables,
  createDatabase,
  databaseUrl,
  dropDatabase,
  inspectPglite,
  inspectPostgres,
  serverVersion,
} from './lib/database.mjs';
import { createLedger, makePayload, runPhase } from './lib/load.mjs';
import { evaluateTargets, phaseLabel, renderReport } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SERVER_BIN = join(ROOT, 'packages/server-adapter/dist/cli/bin.cjs');
// The workspace's own PGlite (the one the server uses), to open the data directory after the server stopped.
const PGLITE_MODULE = join(ROOT, 'packages/core/node_modules/@electric-sql/pglite/dist/index.js');
const RESULTS_DIR = join(HERE, 'results');

const WARMUP_S = 2;
const MEASURE_S = 10;
const BATCH_EVENTS = 100;
const BATCH_CONNECTIONS = [10, 32]; // the first is always run; the others only if the time budget allows
const TRACK_CONNECTIONS = 50;
const COPY_ROWS = 200_000;
const PHASE_S = WARMUP_S + MEASURE_S + 1;
// This script's own budget (the build before it takes ~30 s); the watchdog is the hard stop.
const BUDGET_MS = 300_000;
const WATCHDOG_MS = 330_000;

const t0 = Date.now();
const runId = randomBytes(4).toString('hex');
const dbName = `vt_bench_${runId}`;
const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
const state = { dbCreated: false, tmpDir: null, cleaning: null, exiting: false };

/**
 * Seconds of mandatory work still ahead (rough estimates), so optional phases (more connections) run
 * only when they fit: 7 mandatory load phases, COPY, and start/stop/count of two server modes.
 */
const budget = {
  mandatoryLeftS: 7 * PHASE_S + 10 + 2 * 25,
  done(seconds) {
    this.mandatoryLeftS = Math.max(0, this.mandatoryLeftS - seconds);
  },
  allows(extraS) {
    return Date.now() - t0 + (extraS + this.mandatoryLeftS) * 1000 < BUDGET_MS;
  },
};

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
      warmupS: WARMUP_S,
      measureS: MEASURE_S,
      batchEvents: BATCH_EVENTS,
      batchConnections: BATCH_CONNECTIONS,
      trackConnections: TRACK_CONNECTIONS,
      copyRows: COPY_ROWS,
    },
    baselines: {},
    modes: {},
    targets: [],
    anomalies: [],
    failures: [],
  };

  await createDatabase(dbName);
  state.dbCreated = true;
  const dbUrl = databaseUrl(dbName);
  await createBaselineTables(dbUrl);
  state.tmpDir = mkdtempSync(join(os.tmpdir(), 'vt-bench-'));
  log(`database ${dbName}, temp dir ${state.tmpDir}`);

  // One payload per route for every target, so all of them parse exactly the same bytes.
  const payloads = { batch: makePayload('batch', BATCH_EVENTS), track: makePayload('track', 1) };

  results.baselines.bare = await section(results, 'bare node:http', () => benchBare(payloads, results));
  results.baselines.naive = await section(results, 'naive INSERT', () => benchNaive(dbUrl, payloads, results));
  await checkpoint(dbUrl);
  results.baselines.copy = await section(results, 'raw COPY', () => benchCopy(dbUrl));
  for (const mode of ['postgres', 'pglite']) {
    await checkpoint(dbUrl);
    results.modes[mode] = (await section(results, `ours (${mode})`, () => benchServerMode(mode, dbUrl, payloads, results))) ?? emptyMode();
  }

  results.targets = evaluateTargets(results);
  results.meta.elapsedS = (Date.now() - t0) / 1000;
  return results;
}

/** Runs one section; an error is recorded as a failure (exit 1) and the remaining sections still run. */
async function section(results, name, fn) {
  try {
    return await fn();
  } catch (error) {
    results.failures.push(`${name}: ${error.message}`);
    log(`${name}: FAILED: ${error.stack ?? error.message}`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Baselines

async function benchBare(payloads, results) {
  const child = await startChild('bare-http', join(HERE, 'baselines/bare-http.mjs'), [], { cwd: ROOT });
  const rss = sampleRss(child.pid);
  try {
    const headers = ingestHeaders('wk_baseline_key_of_the_same_length_as_ours'); // same request size; not checked
    const ledger = createLedger();
    const track = await measure('bare node:http', child, rss, { headers, connections: TRACK_CONNECTIONS, payload: payloads.track, ledger });
    budget.done(PHASE_S);
    const batch = [];
    for (const connections of BATCH_CONNECTIONS) {
      const optional = connections !== BATCH_CONNECTIONS[0];
      if (optional && !budget.allows(PHASE_S)) {
        results.anomalies.push(`bare node:http: skipped /v1/batch c${connections} (time budget)`);
        continue;
      }
      batch.push(await measure('bare node:http', child, rss, { headers, connections, payload: payloads.batch, ledger }));
      if (!optional) budget.done(PHASE_S);
    }
    noteLoadAnomalies('bare node:http', [track, ...batch], ledger, results);
    if (crashed(child)) throw new Error(`bare-http died (${describeExit(child.exit)})`);
    return { track, batch, bestBatch: best(batch) };
  } finally {
    rss.stop();
    await stopChild(child, 5_000);
  }
}

async function benchNaive(dbUrl, payloads, results) {
  const child = await startChild('naive-insert', join(HERE, 'baselines/naive-insert.mjs'), [], { cwd: ROOT, env: { DATABASE_URL: dbUrl } });
  const rss = sampleRss(child.pid);
  const ledger = createLedger();
  let track;
  try {
    const headers = ingestHeaders('wk_baseline_key_of_the_same_length_as_ours');
    track = await measure('naive INSERT', child, rss, { headers, connections: TRACK_CONNECTIONS, payload: payloads.track, ledger });
    budget.done(PHASE_S);
    noteLoadAnomalies('naive INSERT', [track], ledger, results);
    if (crashed(child)) throw new Error(`naive-insert died (${describeExit(child.exit)})`);
  } finally {
    rss.stop();
    await stopChild(child, 10_000);
  }
  // Informational: the baseline has no dedup, so rows >= acknowledged (cut-off requests may add a few).
  const storedRows = await countRows(dbUrl, 'bench_naive');
  if (storedRows < ledger.ackedEvents) results.anomalies.push(`naive INSERT: ${storedRows} rows < ${ledger.ackedEvents} acknowledged`);
  return { track, storedRows, ackedEvents: ledger.ackedEvents };
}

async function benchCopy(dbUrl) {
  log(`raw COPY of ${COPY_ROWS.toLocaleString('en-US')} rows…`);
  const copy = await withTimeout(copyBaseline(dbUrl, COPY_ROWS), 90_000, 'raw COPY');
  budget.done(10);
  log(`raw COPY: ${Math.round(copy.rowsPerS).toLocaleString('en-US')} rows/s (${copy.seconds.toFixed(2)} s)`);
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// Our server

function emptyMode() {
  return { phases: [], bestBatch: null, track: null, maxRssMB: null, integrity: null };
}

/** One storage mode: spawn the server, load it, stop it, then check stored == acknowledged. */
async function benchServerMode(mode, dbUrl, payloads, results) {
  const m = emptyMode();
  const dataDir = join(state.tmpDir, 'pglite');
  const storageArgs = mode === 'postgres' ? ['--database-url', dbUrl] : ['--data-dir', dataDir];
  // cwd is the temp dir so nothing the server might write lands in the repository.
  const child = await startChild(`server (${mode})`, SERVER_BIN, ['serve', '--port', '0', '--admin-token', adminToken, '--rate-limits', 'off', ...storageArgs], {
    cwd: state.tmpDir,
    readyTimeoutMs: 60_000,
  });
  const rss = sampleRss(child.pid);
  const ledger = createLedger();
  let system = null;
  try {
    system = await createSystem(child.url, mode);
    const headers = ingestHeaders(system.writeKey);
    const plan = [
      ...BATCH_CONNECTIONS.map((connections, i) => ({ payload: payloads.batch, connections, optional: i > 0 })),
      { payload: payloads.track, connections: TRACK_CONNECTIONS, optional: false },
    ];
    for (const step of plan) {
      if (crashed(child)) break;
      if (step.optional && !budget.allows(PHASE_S)) {
        results.anomalies.push(`${mode}: skipped ${phaseLabel(step.payload, step.connections)} (time budget)`);
        continue;
      }
      m.phases.push(await measure(`ours (${mode})`, child, rss, { headers, connections: step.connections, payload: step.payload, ledger }));
      if (!step.optional) budget.done(PHASE_S);
    }
  } catch (error) {
    // Still stop the server and count what it stored: a failed phase must not hide a lost event.
    results.failures.push(`${mode}: ${error.message}`);
  } finally {
    rss.stop();
    m.startRssMB = rss.initialMB;
    m.maxRssMB = rss.maxMB;
    m.peakRssMB = rss.peakMB(); // VmHWM, read while the process still exists
  }

  const crashedDuringLoad = crashed(child);
  const stop = await stopChild(child, 30_000);
  m.server = {
    exit: describeExit(child.exit),
    forcedKill: stop.forced,
    stopMs: stop.ms,
    stderrLines: child.stderrLines,
    stderrTail: child.stderrTail,
    stdoutTail: child.stdoutTail,
  };
  if (crashedDuringLoad) results.failures.push(`${mode}: the server crashed during the load (${m.server.exit})`);
  else if (stop.forced || child.exit.code !== 0) results.failures.push(`${mode}: the server did not stop cleanly (${m.server.exit}${stop.forced ? ', killed after 30 s' : ''})`);
  if (child.stderrLines > 0) results.anomalies.push(`${mode}: the server wrote ${child.stderrLines} stderr line(s); last: ${child.stderrTail.slice(-3).join(' | ')}`);

  m.bestBatch = best(m.phases.filter((p) => p.route === '/v1/batch'));
  m.track = m.phases.find((p) => p.route === '/v1/track' && !p.aborted) ?? null;
  m.ledger = summarizeLedger(ledger);
  noteLoadAnomalies(`ours (${mode})`, m.phases, ledger, results);

  if (system) {
    m.integrity = await verifyStored(mode, { dbUrl, dataDir, systemId: system.id, ledger, phases: m.phases });
    if (!m.integrity.ok) results.failures.push(`${mode}: stored != acknowledged (${m.integrity.line})`);
  }
  budget.done(25);
  return m;
}

/** Partner + system through the management API; returns `{id, writeKey}`. */
async function createSystem(url, mode) {
  const partner = await adminPost(url, '/api/partners', { name: `bench ${mode}`, email: `bench-${mode}@example.com` });
  const system = await adminPost(url, `/api/partners/${partner.id}/systems`, { name: `bench-${mode}-${runId}` });
  if (!system.id || !system.writeKey) throw new Error(`unexpected system answer: ${JSON.stringify(system).slice(0, 200)}`);
  return { id: system.id, writeKey: system.writeKey };
}

async function adminPost(url, path, body) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * stored − (stored events of unacknowledged requests) must equal the acknowledged events exactly: that
 * proves no acknowledged event is missing, while events of requests cut off at the end of a run (sent,
 * committed, but never read by autocannon) are accounted for rather than reported as a mismatch.
 */
async function verifyStored(mode, { dbUrl, dataDir, systemId, ledger, phases }) {
  const measured = phases.filter((p) => p.requestRange);
  const ranges = measured.map((p) => p.requestRange);
  let counts;
  try {
    counts =
      mode === 'postgres'
        ? await withTimeout(inspectPostgres(dbUrl, systemId, ledger.unacked, ranges), 60_000, 'count')
        : await withTimeout(inspectPglite(PGLITE_MODULE, dataDir, systemId, ledger.unacked, ranges), 120_000, 'PGlite count');
  } catch (error) {
    return { ok: false, line: `MISMATCH  could not count the stored events: ${error.message}` };
  }
  // Diagnostic, not a check: how many events shared each commit in every measured run.
  for (const p of measured) {
    const c = counts.commits.find((x) => x.fromRequest === p.requestRange[0]);
    if (c) Object.assign(p, { storedEvents: c.events, commits: c.transactions, eventsPerCommit: c.events / c.transactions });
  }
  const acked = ledger.ackedEvents;
  const storedAcked = counts.stored - counts.storedUnacked;
  const ok = storedAcked === acked;
  const fmt = (n) => n.toLocaleString('en-US');
  let line = `${ok ? 'OK' : 'MISMATCH'}  stored ${fmt(counts.stored)}, acknowledged ${fmt(acked)} (${fmt(ledger.ackedRequests)} requests)`;
  line += `; stored from unacknowledged requests: ${fmt(counts.storedUnacked)} (${fmt(ledger.unacked.length)} unacknowledged requests, ${fmt(ledger.cutOffRequests)} of them never answered: cut off when a run ended or lost to a connection error)`;
  if (!ok) line += storedAcked < acked ? `; ${fmt(acked - storedAcked)} ACKNOWLEDGED EVENTS MISSING` : `; ${fmt(storedAcked - acked)} more than acknowledged`;
  return { ok, line, stored: counts.stored, storedUnacked: counts.storedUnacked, acknowledged: acked, storedAcknowledged: storedAcked };
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers

/** Warm-up + measured run against `child`, with the child's per-phase max RSS and a progress line. */
async function measure(who, child, rss, { headers, connections, payload, ledger }) {
  const label = phaseLabel(payload, connections);
  rss.takePhaseMaxMB(); // the phase's RSS figure covers its warm-up and its measured run
  const phase = await runPhase({
    label,
    url: child.url,
    headers,
    connections,
    payload,
    ledger,
    warmupS: WARMUP_S,
    measureS: MEASURE_S,
    isAlive: () => !crashed(child),
  });
  phase.rssMB = rss.takePhaseMaxMB();
  if (crashed(child)) phase.crashed = describeExit(child.exit);
  if (phase.aborted) log(`${who} ${label}: aborted (${phase.aborted})`);
  else
    log(
      `${who} ${label}: ${Math.round(phase.eventsPerS).toLocaleString('en-US')} events/s, p99 ${phase.p99Ms} ms, ` +
        `non2xx ${phase.non2xx}, errors ${phase.errors}, timeouts ${phase.timeouts}, RSS ${phase.rssMB.toFixed(1)} MB`,
    );
  return phase;
}

function ingestHeaders(writeKey) {
  return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' };
}

function best(phases) {
  return phases.filter((p) => !p.aborted).reduce((a, b) => (a === null || b.eventsPerS > a.eventsPerS ? b : a), null);
}

function summarizeLedger(ledger) {
  const { unacked, ...rest } = ledger;
  return { ...rest, unackedRequests: unacked.length };
}

/** Non-2xx, errors and timeouts of every phase, and samples of odd responses, for the anomaly list. */
function noteLoadAnomalies(who, phases, ledger, results) {
  for (const p of phases) {
    if (p.aborted) results.anomalies.push(`${who} ${p.label}: aborted: ${p.aborted}`);
    else if (p.non2xx || p.errors || p.timeouts) results.anomalies.push(`${who} ${p.label}: non2xx ${p.non2xx} (status codes ${JSON.stringify(p.statusCodes)}), errors ${p.errors}, timeouts ${p.timeouts}`);
    if (p.crashed) results.anomalies.push(`${who} ${p.label}: the process died (${p.crashed})`);
  }
  if (ledger.oddSamples.length > 0) results.anomalies.push(`${who}: responses other than 2xx {"success":true} (incl. warm-ups), e.g. ${ledger.oddSamples.slice(0, 3).join(' | ')}`);
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
  const file = join(RESULTS_DIR, `ingest-${new Date(t0).toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle: every exit path kills the children and drops the database.

async function cleanup() {
  state.cleaning ??= (async () => {
    killAllChildren('SIGTERM');
    for (let i = 0; i < 30 && anyChildAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    killAllChildren('SIGKILL');
    if (state.dbCreated) await withTimeout(dropDatabase(dbName), 15_000, 'drop database').catch((e) => console.error(`could not drop ${dbName}: ${e.message}`));
    if (state.tmpDir) rmSync(state.tmpDir, { recursive: true, force: true });
  })();
  return state.cleaning;
}

async function finish(code) {
  if (state.exiting) return;
  state.exiting = true;
  // If cleanup itself hangs, still exit: the 'exit' handler below SIGKILLs the children.
  setTimeout(() => process.exit(code), 25_000).unref();
  await cleanup().catch((e) => console.error(`cleanup: ${e.message}`));
  process.exit(code);
}

process.on('exit', () => killAllChildren('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping children and dropping ${dbName}`);
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
    return finish(results.failures.length > 0 ? 1 : 0);
  },
  (error) => {
    console.error(`benchmark failed: ${error.stack ?? error.message}`);
    return finish(1);
  },
);
