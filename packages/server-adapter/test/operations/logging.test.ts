import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/handler/handler-options';
import { basic, startTestServer, type TestServer } from '../support/test-server';

/** A real pino logger writing JSON lines into memory, as it would to stdout. */
function capturingPino(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  return { logger, lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('request logs through pino', () => {
  const capture = capturingPino();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('memory', { logger: capture.logger });
  });
  afterAll(() => t.close());

  it('takes the caller’s X-Request-Id, echoes it, and puts it on the request’s line', async () => {
    const res = await t.api('/api/partners', { headers: { 'x-request-id': 'trace-me-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-me-42');
    const line = capture.lines().find((l) => l.reqId === 'trace-me-42');
    expect(line).toMatchObject({ msg: 'request completed', method: 'GET', route: '/api/partners', status: 200, level: 30 });
    expect(typeof line!.durationMs).toBe('number');
  });

  it('generates a request id when none (or a malformed one) is sent, and echoes it', async () => {
    for (const sent of [undefined, 'has spaces in it', 'x'.repeat(200)]) {
      const res = await t.api('/api/partners', { headers: sent ? { 'x-request-id': sent } : {} });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(capture.lines().filter((l) => l.reqId === id)).toHaveLength(1);
    }
  });

  it('labels a line with the route template, and never logs payloads, keys or the admin token', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const secretValue = 'very-private-property-value';
    const res = await fetch(`${t.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basic(writeKey), 'content-type': 'application/json', 'x-request-id': 'ingest-1' },
      body: JSON.stringify({ userId: 'user-with-a-secret-name', event: 'Signed Up', properties: { secretValue } }),
    });
    expect(res.status).toBe(200);
    await t.api(`/api/systems/${systemId}/events`, { headers: { 'x-request-id': 'list-1' } });
    expect(capture.lines().find((l) => l.reqId === 'list-1')).toMatchObject({ route: '/api/systems/:id/events' });
    const all = JSON.stringify(capture.lines());
    for (const secret of [secretValue, 'user-with-a-secret-name', writeKey, 'test-admin-token', Buffer.from(`${writeKey}:`).toString('base64')]) {
      expect(all).not.toContain(secret);
    }
  });

  it('logs health probes at debug, so the info level shows only real traffic', async () => {
    await t.api('/health/live', { headers: { 'x-request-id': 'probe-1' } });
    expect(capture.lines().find((l) => l.reqId === 'probe-1')).toMatchObject({ level: 20, route: '/health/live' });
  });
});

describe('an embedding app’s own logger', () => {
  it('receives every request line, with the request id merged in when it cannot make children', async () => {
    const seen: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const logger: Logger = {
      info: (obj, msg) => seen.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
      warn: (obj, msg) => seen.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
      error: (obj, msg) => seen.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    };
    const t = await startTestServer('memory', { logger });
    try {
      await t.api('/api/partners/not-a-uuid', { headers: { 'x-request-id': 'plain-logger-1' } });
      expect(seen).toContainEqual({
        level: 'info',
        msg: 'request completed',
        obj: expect.objectContaining({ reqId: 'plain-logger-1', route: '/api/partners/:id', status: expect.any(Number) }),
      });
    } finally {
      await t.close();
    }
  });
});
