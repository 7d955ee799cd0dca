// Client-side benchmark of @volcanion-tracking/node-sdk against @segment/analytics-node, in the same run.
//
//   npx -y pnpm@10.34.9 bench:node-sdk      (builds the SDK, then runs this file; ~1 minute)
//
// What it measures, per SDK and scenario, for N = 100,000 track() calls made in one synchronous loop
// (the way a busy server calls an analytics client) after a warm-up:
//   - CPU time of the process (process.cpuUsage, user + system, all threads: gzip runs on libuv's
//     pool) from the first call until the last event is acknowledged, per event; split into the
//     calls themselves and the delivery that follows;
//   - memory: heap growth right after the N calls (what the queued events cost) and the process's
//     peak RSS;
//   - delivered events/s: N over the wall time from the first call to the last acknowledgement, and
//     the number of events the sink actually received (counted by messageId, so a loss or a
//     duplicate shows).
// The sink is a node:http server in its own process answering 200 {"success":true} after reading
// the body, so its CPU is not counted. Each SDK run is a fresh process (no shared JIT or GC state);
// scenarios alternate SDKs and the median of ROUNDS runs is reported. Scenarios: both SDKs with their
// defaults (flushAt 15), and both with flushAt 200.
// Our client runs with maxQueueSize 100,000 so that a 100,000-call burst is queued rather than dropped
// (default 10,000: the rest would fail fast with reason queue_full, by design).
// Target: our CPU per event at most 1/5 of analytics-node's. Exit code 1 if a run lost or doubled
// events or crashed; 0 otherwise, target met or not (the target is information, not a gate).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const OURS = join(ROOT, 'packages/node-sdk/dist/index.js');
const SEGMENT = createRequire(join(ROOT, 'packages/server-adapter/package.json')).resolve('@segment/analytics-node');

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const WARMUP = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCENARIOS = [
  { name: 'defaults (flushAt 15)', flushAt: 15 },
  { name: 'flushAt 200', flushAt: 200 },
];
const WATCHDOG_MS = 10 * 60_000;

const [mode, ...args] = process.argv.slice(2);
if (mode === '--sink') runSink();
else if (mode === '--run') await runClient(args[0], Number(args[1]), args[2]);
else await main();

// ---------------------------------------------------------------------------------------------------
// The sink: answers every POST with 200 {"success":true}; GET /count says how many messages (distinct
// messageIds) it received since the last GET /reset.

function runSink() {
  let ids = new Set();
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      if (req.url === '/reset') ids = new Set();
      if (req.url === '/reset') requests = 0;
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ messages: ids.size, requests }));
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests++;
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      // A regex over the text, not JSON.parse: the sink must stay cheap so the clients are what is measured.
      for (const match of body.toString('utf8').matchAll(/"messageId":"([^"]+)"/g)) ids.add(match[1]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
}

// ---------------------------------------------------------------------------------------------------
// One measured run of one SDK, in its own process; prints one JSON line.

function payload(i) {
  return {
    userId: `user-${i % 1000}`,
    event: 'Order Completed',
    properties: { orderId: `order-${i}`, total: (i % 500) + 0.99, currency: 'EUR', items: [{ sku: `sku-${i % 50}`, quantity: 1 + (i % 3) }] },
  };
}

async function runClient(sdk, flushAt, sinkUrl) {
  let client;
  let flush;
  let close;
  let failures = 0;
  if (sdk === 'ours') {
    const { TrackingClient } = await import(pathToFileURL(OURS).href);
    client = new TrackingClient({ writeKey: 'wk_bench', host: sinkUrl, flushAt, maxQueueSize: N + WARMUP, maxQueueBytes: 256 * 1024 * 1024 });
    client.on('error', (error) => {
      failures += error.messageIds.length;
    });
    flush = () => client.flush();
    close = () => client.closeAndFlush({ timeout: 120_000 });
  } else {
    const { Analytics } = await import(pathToFileURL(SEGMENT).href);
    client = new Analytics({ writeKey: 'wk_bench', host: sinkUrl, flushAt, maxRetries: 3 });
    client.on('error', () => failures++);
    flush = () => client.flush();
    close = () => client.closeAndFlush({ timeout: 120_000 });
  }

  // Warm-up: JIT, connections, and both SDKs' lazy initialization.
  for (let i = 0; i < WARMUP; i++) client.track(payload(i));
  await flush();
  await fetch(`${sinkUrl}/reset`);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) client.track(payload(WARMUP + i));
  const cpuCalls = process.cpuUsage(cpu0);
  const tCalls = performance.now() - t0;
  const heapAfterCalls = process.memoryUsage().heapUsed;
  await close();
  const cpuTotal = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const sink = await (await fetch(`${sinkUrl}/count`)).json();

  const us = (c) => c.user + c.system;
  process.stdout.write(
    `${JSON.stringify({
      sdk,
      flushAt,
      cpuUsPerEvent: us(cpuTotal) / N,
      cpuCallUsPerEvent: us(cpuCalls) / N,
      cpuDeliveryUsPerEvent: (us(cpuTotal) - us(cpuCalls)) / N,
      callLoopMs: tCalls,
      wallMs,
      eventsPerSecond: N / (wallMs / 1000),
      heapGrowthMB: (heapAfterCalls - heapBefore) / 1024 / 1024,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      requests: sink.requests,
      received: sink.messages,
      failures,
    })}\n`,
  );
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// Orchestration and report.

function spawnNode(args, onLine) {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return child;
}

async function main() {
  const children = new Set();
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  setTimeout(() => {
    console.error('watchdog: the benchmark took too long');
    process.exit(1);
  }, WATCHDOG_MS).unref();

  let sinkUrl;
  const sink = spawnNode(['--sink'], (line) => (sinkUrl ??= /listening on (\S+)/.exec(line)?.[1]));
  children.add(sink);
  while (!sinkUrl) {
    if (sink.exitCode !== null) throw new Error(`sink exited: ${(await sink.exited).stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }

  console.log(`node ${process.version}, ${N.toLocaleString('en')} track() calls per run, median of ${ROUNDS} runs, sink ${sinkUrl}`);
  let broken = false;
  const table = [];
  for (const scenario of SCENARIOS) {
    const runs = { ours: [], segment: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const sdk of round % 2 === 0 ? ['ours', 'segment'] : ['segment', 'ours']) {
        let result;
        const child = spawnNode(['--run', sdk, String(scenario.flushAt), sinkUrl], (line) => {
          if (line.startsWith('{')) result = JSON.parse(line);
        });
        children.add(child);
        const exit = await child.exited;
        children.delete(child);
        if (!result) {
          broken = true;
          console.error(`${sdk} run crashed (${exit.code ?? exit.signal}):\n${exit.stderr.slice(-2000)}`);
          continue;
        }
        if (result.received !== N || result.failures > 0) {
          broken = true;
          console.error(`${sdk} run: the sink received ${result.received} of ${N} events, ${result.failures} failures reported`);
        }
        runs[sdk].push(result);
      }
    }
    table.push({ scenario, ours: medianRun(runs.ours), segment: medianRun(runs.segment) });
  }
  sink.kill('SIGKILL');
  report(table);
  process.exitCode = broken ? 1 : 0;
}

function medianRun(runs) {
  if (runs.length === 0) return null;
  const median = (key) => {
    const values = runs.map((r) => r[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  const keys = Object.keys(runs[0]).filter((k) => typeof runs[0][k] === 'number');
  return Object.fromEntries(keys.map((k) => [k, median(k)]));
}

function report(table) {
  const rows = [
    ['CPU per event (µs), total', 'cpuUsPerEvent', 2],
    ['  in the track() calls', 'cpuCallUsPerEvent', 2],
    ['  in delivery (batching, gzip, HTTP)', 'cpuDeliveryUsPerEvent', 2],
    ['track() loop, wall (ms)', 'callLoopMs', 0],
    ['delivered events/s', 'eventsPerSecond', 0],
    ['heap growth after the calls (MB)', 'heapGrowthMB', 1],
    ['peak RSS (MB)', 'peakRssMB', 0],
    ['requests', 'requests', 0],
    ['events received by the sink', 'received', 0],
  ];
  for (const { scenario, ours, segment } of table) {
    console.log(`\n## ${scenario.name}`);
    console.log(`${'metric'.padEnd(40)}${'node-sdk'.padStart(14)}${'analytics-node'.padStart(16)}${'ratio'.padStart(10)}`);
    for (const [label, key, digits] of rows) {
      const a = ours?.[key];
      const b = segment?.[key];
      const fmt = (v) => (v === undefined ? 'n/a' : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
      const ratio = a !== undefined && b ? (a / b).toFixed(3) : '';
      console.log(`${label.padEnd(40)}${fmt(a).padStart(14)}${fmt(b).padStart(16)}${ratio.padStart(10)}`);
    }
    if (ours && segment) {
      const ratio = ours.cpuUsPerEvent / segment.cpuUsPerEvent;
      const verdict = ratio <= 0.2 ? 'MET' : 'NOT MET';
      console.log(`target: CPU per event ≤ 1/5 of analytics-node: ${(ratio * 100).toFixed(1)}% (1/${(1 / ratio).toFixed(1)}) → ${verdict}`);
    }
  }
}
