import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { TrackingClient, type DeliveryResult, type TrackingClientSettings } from '../src';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { startRealServer, type RealServer, type TestSystem } from './support/real-server';

// A scripted proxy in front of the real server: faults are real (status codes, resets, slow answers,
// a port that refuses connections), and the real server's dedup by messageId is what makes a
// retried-but-already-stored batch count once.
let server: RealServer;
let proxy: FaultProxy;
let system: TestSystem;
const clients: TrackingClient[] = [];

beforeAll(async () => {
  server = await startRealServer('postgres');
});
afterAll(async () => server?.close());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.closeAndFlush({ timeout: 1000 })));
  await proxy?.close();
});

async function setUp(settings: Partial<TrackingClientSettings> = {}) {
  system = await server.newSystem();
  proxy = await startFaultProxy(server.url);
  const client = new TrackingClient({
    writeKey: system.writeKey,
    host: proxy.url,
    flushAt: 5,
    flushInterval: 20,
    minRetryDelay: 10,
    maxRetryDelay: 100,
    maxRetries: 20,
    ...settings,
  });
  const failures: string[] = [];
  client.on('dropped', (d) => failures.push(`${d.reason}: ${d.error.message}`));
  clients.push(client);
  return { client, failures };
}

function trackMany(client: TrackingClient, count: number): Promise<DeliveryResult[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => client.track({ userId: `u${i % 3}`, event: 'Fault Test', properties: { i } })));
}

/** Every call delivered is stored exactly once, and nothing else is. */
async function expectStoredExactlyOnce(results: DeliveryResult[]) {
  const stored = await system.stored();
  const ids = stored.map((e) => e.messageId);
  expect(ids.length).toBe(new Set(ids).size);
  expect(new Set(ids)).toEqual(new Set(results.filter((r) => r.ok).map((r) => r.messageId)));
}

it('retries 503s and then delivers, keeping each messageId and restamping sentAt', async () => {
  const { client, failures } = await setUp();
  proxy.script((n) => (n <= 3 ? { kind: 'answer', status: 503, headers: { 'content-type': 'application/problem+json' }, body: '{"status":503}' } : { kind: 'pass' }));
  const results = await trackMany(client, 20);
  expect(failures).toEqual([]);
  expect(results.every((r) => r.ok)).toBe(true);
  await expectStoredExactlyOnce(results);
  const retried = proxy.seen.filter((r) => r.retryCount > 0);
  expect(retried.length).toBeGreaterThanOrEqual(3);
  // The first request's messages reappear, unchanged, in its retry, under a later sentAt.
  const first = proxy.seen[0]!;
  const retry = proxy.seen.find((r) => r.retryCount === 1 && r.messageIds[0] === first.messageIds[0])!;
  expect(retry.messageIds).toEqual(first.messageIds);
  expect(Date.parse(retry.sentAt!)).toBeGreaterThanOrEqual(Date.parse(first.sentAt!));
  expect(proxy.seen.every((r) => r.authorization === `Basic ${Buffer.from(`${system.writeKey}:`).toString('base64')}`)).toBe(true);
});

it('honours 429 Retry-After for every request, not just the one refused', async () => {
  const { client, failures } = await setUp({ flushAt: 2, maxConcurrentRequests: 2 });
  proxy.script((n) => (n === 1 ? { kind: 'answer', status: 429, headers: { 'retry-after': '1' } } : { kind: 'pass' }));
  const retries: number[] = [];
  const retried = new Promise<void>((resolve) => client.on('retry', (r) => (retries.push(r.delayMs), resolve())));
  const first = trackMany(client, 2);
  await retried;
  // Another batch while the first waits: it must wait out the same Retry-After, with a slot free.
  const second = trackMany(client, 2);
  const [results, later] = await Promise.all([first, second]);
  expect(failures).toEqual([]);
  expect(retries).toEqual([1000]);
  const [refused, ...rest] = proxy.seen;
  expect(rest).toHaveLength(2);
  for (const request of rest) expect(request.at - refused!.at).toBeGreaterThanOrEqual(990);
  await expectStoredExactlyOnce([...results, ...later]);
});

it('survives connection resets before and after the server stored the batch, storing each event once', async () => {
  const { client, failures } = await setUp();
  // Request 1 is cut before forwarding; request 2 after the server committed it (the client cannot
  // know it was stored, retries, and the server's messageId dedup absorbs the duplicate).
  proxy.script((n) => (n === 1 ? { kind: 'reset-before' } : n === 2 ? { kind: 'reset-after' } : { kind: 'pass' }));
  const results = await trackMany(client, 15);
  expect(failures).toEqual([]);
  expect(results.every((r) => r.ok)).toBe(true);
  expect(proxy.seen.filter((r) => r.fault === 'reset-after')).toHaveLength(1);
  await expectStoredExactlyOnce(results);
});

it('times out slow answers and retries them; the late duplicates are not stored twice', async () => {
  const { client, failures } = await setUp({ timeout: 200 });
  proxy.script((n) => (n <= 2 ? { kind: 'delay-after', ms: 800 } : { kind: 'pass' }));
  const retryErrors: string[] = [];
  client.on('retry', (r) => retryErrors.push(r.error.message));
  const results = await trackMany(client, 10);
  expect(failures).toEqual([]);
  expect(retryErrors.some((m) => /timed out after 200 ms/.test(m))).toBe(true);
  await expectStoredExactlyOnce(results);
  expect((await system.stored()).length).toBe(10);
});

it('waits out a server that is down for a while, then delivers everything once', async () => {
  const { client, failures } = await setUp({ flushAt: 3, maxRetryDelay: 50, maxRetries: 1000 });
  await proxy.down();
  const pending = trackMany(client, 30);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(proxy.seen).toHaveLength(0);
  expect(client.pending).toBe(30);
  await proxy.up();
  const results = await pending;
  expect(failures).toEqual([]);
  expect(results.every((r) => r.ok)).toBe(true);
  await expectStoredExactlyOnce(results);
});

it('reports, never silently loses, what outlasts the retry budget', async () => {
  const { client, failures } = await setUp({ maxRetries: 2 });
  proxy.script(() => ({ kind: 'answer', status: 500 }));
  const results = await trackMany(client, 5);
  expect(results.every((r) => !r.ok && r.reason === 'retries_exhausted')).toBe(true);
  expect(results[0]).toMatchObject({ error: { attempts: 3, status: 500 } });
  expect(proxy.seen).toHaveLength(3);
  expect(failures).toHaveLength(5);

  // The total retry time is capped too, whatever maxRetries allows.
  const capped = await setUpAgain({ maxRetries: 1000, maxRetryDuration: 300 });
  proxy.script(() => ({ kind: 'reset-before' }));
  const started = Date.now();
  const [result] = await trackMany(capped, 1);
  expect(result).toMatchObject({ ok: false, reason: 'retries_exhausted' });
  expect(Date.now() - started).toBeLessThan(2000);
  await expectStoredExactlyOnce(results);
});

it('does not retry a 413 and hands over the problem document', async () => {
  const { client } = await setUp({ flushAt: 1 });
  const problem = { type: 'about:blank', title: 'Payload Too Large', status: 413, code: 'payload_too_large', detail: 'too big' };
  proxy.script(() => ({ kind: 'answer', status: 413, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(problem) }));
  const result = await client.track({ userId: 'u1', event: 'Big' });
  expect(result).toMatchObject({ ok: false, reason: 'rejected', error: { status: 413, problem } });
  expect(proxy.seen).toHaveLength(1);
});

async function setUpAgain(settings: Partial<TrackingClientSettings>) {
  const client = new TrackingClient({ writeKey: system.writeKey, host: proxy.url, flushAt: 1, minRetryDelay: 10, maxRetryDelay: 100, ...settings });
  client.on('error', () => {});
  clients.push(client);
  return client;
}
