import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server';
import { ingest } from '../http/helpers';
import { ADMIN_TOKEN, basic, startTestServer, type TestServer } from '../support/test-server';

// Registered the way docs/operations.md tells a host app to, with an exporter the test can read.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let t: TestServer;
beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  t = await startTestServer('postgres');
});
afterAll(async () => {
  await t.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

it('continues the caller’s trace: request span → command or query span → storage spans', async () => {
  const { systemId, secretKey } = await t.newSystem();
  exporter.reset();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpanId = '00f067aa0ba902b7';
  const res = await t.api(`/api/systems/${systemId}/stats/top-events`, {
    headers: { authorization: `Bearer ${secretKey}`, traceparent: `00-${traceId}-${callerSpanId}-01` },
  });
  expect(res.status).toBe(200);

  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const request = spans.find((s) => s.name === 'GET /api/systems/:id/stats/top-events');
  expect(request, spans.map((s) => s.name).join(', ')).toBeDefined();
  expect(parentOf(request!)).toBe(callerSpanId);
  expect(request!.attributes).toMatchObject({ 'http.route': '/api/systems/:id/stats/top-events', 'http.response.status_code': 200 });

  const operations = spans.filter((s) => s.name.startsWith('volcanion.') && parentOf(s) === request!.spanContext().spanId);
  expect(operations.map((s) => s.name)).toEqual(expect.arrayContaining(['volcanion.topEvents']));
  const query = operations.find((s) => s.name === 'volcanion.topEvents')!;
  const storage = spans.filter((s) => s.name.startsWith('storage.') && parentOf(s) === query.spanContext().spanId);
  expect(storage.length).toBeGreaterThan(0);
  expect(storage[0]!.attributes['db.system']).toBe('postgresql');
});

it('starts a new trace when the caller sends none, with the command and its transaction beneath', async () => {
  exporter.reset();
  const res = await t.api('/api/partners', { method: 'POST', json: { name: `Traced ${Date.now()}`, email: 'ops@example.com' } });
  expect(res.status).toBe(201);
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'POST /api/partners')!;
  expect(request, spans.map((s) => s.name).join(', ')).toBeDefined();
  expect(parentOf(request)).toBeUndefined();
  const command = spans.find((s) => s.name.startsWith('volcanion.') && parentOf(s) === request.spanContext().spanId && /partner/i.test(s.name));
  expect(command, spans.map((s) => s.name).join(', ')).toBeDefined();
  const beneath = spans.filter((s) => parentOf(s) === command!.spanContext().spanId).map((s) => s.name);
  expect(beneath.some((name) => name.startsWith('storage.'))).toBe(true);
  // A raw path could carry ids or keys; span names carry only route templates.
  for (const span of spans) expect(span.name).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
});

it('writes group-committed events in a trace of their own, linked to every request whose events it stored', async () => {
  const { writeKey } = await t.newSystem();
  exporter.reset();
  const traceIds = ['a1', 'b2', 'c3', 'd4'].map((tag) => tag.repeat(16));
  const responses = await Promise.all(
    traceIds.map((traceId, i) =>
      ingest(t, '/v1/track', writeKey, { userId: 'u', event: 'E', messageId: `traced-${i}` }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    ),
  );
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);

  const spans = exporter.getFinishedSpans();
  const commits = spans.filter((s) => s.name === 'volcanion.ingest.commit');
  expect(commits.length).toBeGreaterThan(0);
  for (const commit of commits) {
    expect(parentOf(commit)).toBeUndefined();
    expect(traceIds).not.toContain(commit.spanContext().traceId);
    expect(commit.attributes['volcanion.commit.requests']).toBe(commit.links.length);
  }
  expect(commits.reduce((sum, c) => sum + Number(c.attributes['volcanion.commit.events']), 0)).toBe(4);
  for (const traceId of traceIds) {
    const command = spans.find((s) => s.name === 'volcanion.ingest' && s.spanContext().traceId === traceId);
    expect(command, spans.map((s) => s.name).join(', ')).toBeDefined();
    const commit = commits.find((c) => c.links.some((l) => l.context.spanId === command!.spanContext().spanId && l.context.traceId === traceId));
    expect(commit, `no commit span links to the request of trace ${traceId}`).toBeDefined();
    const committed = command!.events.find((e) => e.name === 'events committed');
    expect(committed?.attributes).toEqual({ 'volcanion.commit.trace_id': commit!.spanContext().traceId, 'volcanion.commit.span_id': commit!.spanContext().spanId });
  }
});

it('names the failed commit on the span of each request it failed', async () => {
  // A database that refuses every commit: a fault a test cannot cause in a real one on demand.
  const memory = createMemoryStorage();
  const storage = { ...memory, events: { ...memory.events, append: () => Promise.reject(new Error('commit refused')) } };
  const server = await startServer({ storage, port: 0, adminToken: ADMIN_TOKEN });
  try {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"P","email":"p@b.co"}' })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"web"}' })).json();
    exporter.reset();
    const traceId = 'e5'.repeat(16);
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basic(system.writeKey), 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ userId: 'u', event: 'E', messageId: 'refused-1' }),
    });
    expect(res.status).toBe(503);
    const spans = exporter.getFinishedSpans();
    const command = spans.find((s) => s.name === 'volcanion.ingest' && s.spanContext().traceId === traceId)!;
    const commit = spans.find((s) => s.name === 'volcanion.ingest.commit')!;
    expect(commit.status.code).toBe(SpanStatusCode.ERROR);
    expect(commit.links.map((l) => l.context.spanId)).toEqual([command.spanContext().spanId]);
    expect(command.events.map((e) => [e.name, e.attributes])).toEqual([
      ['events not committed', { 'volcanion.commit.trace_id': commit.spanContext().traceId, 'volcanion.commit.span_id': commit.spanContext().spanId }],
    ]);
  } finally {
    await server.close();
  }
});

it('leaves paths that are not the API’s (a host app’s own routes) without a span', async () => {
  exporter.reset();
  const res = await fetch(`${t.url}/somewhere/else`, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01' } });
  expect(res.status).toBe(404);
  expect(exporter.getFinishedSpans()).toEqual([]);
});
