import { connect } from 'node:net';
import { expect } from 'vitest';
import { basic, type TestServer } from '../support/test-server';

/** A parsed JSON body; tests assert on its shape. */
export type Body = any;

/** Asserts the status (showing the body when it differs) and returns the parsed JSON body. */
export async function expectJson(res: Response, status: number): Promise<Body> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return text === '' ? null : JSON.parse(text);
}

/** Asserts an RFC 9457 problem with this status and returns it. */
export async function expectProblem(res: Response, status: number, code?: string): Promise<Body> {
  const body = await expectJson(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(typeof body.detail).toBe('string');
  return body;
}

/** Asserts a 400 (or another status) whose `errors[].field` include every named field. */
export async function expectFields(res: Response, fields: string[], status = 400): Promise<Body> {
  const body = await expectProblem(res, status);
  const named = (body.errors ?? []).map((e: { field: string }) => e.field);
  for (const field of fields) expect(named, JSON.stringify(body)).toContain(field);
  for (const e of body.errors ?? []) expect(e.pointer).toBe(e.field ? `/${e.field.split('.').join('/')}` : '');
  return body;
}

/** Asserts a 401 that tells the client how to authenticate. */
export async function expectUnauthorized(res: Response): Promise<void> {
  await expectProblem(res, 401, 'unauthorized');
  expect(res.headers.get('www-authenticate')).toMatch(/Bearer|Basic/);
}

let counter = 0;
/** A name no other test in this file uses. */
export function unique(prefix: string): string {
  return `${prefix} ${process.pid}-${Date.now()}-${counter++}`;
}

/** Creates a partner and returns its id. */
export async function newPartner(t: TestServer, name = unique('Partner')): Promise<string> {
  const body = await expectJson(await t.api('/api/partners', { method: 'POST', json: { name, email: 'ops@example.com' } }), 201);
  return body.id;
}

/** Sends a Segment request with a key as HTTP Basic username. */
export function ingest(t: TestServer, path: string, key: string, json: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return t.api(path, { method: 'POST', json, headers: { authorization: basic(key), ...headers } });
}

/** Lists a system's events with the admin token, every page. */
export async function allEvents(t: TestServer, systemId: string, query = ''): Promise<Body[]> {
  const events: Body[] = [];
  let cursor: string | null = null;
  do {
    const qs: string = `?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: Body = await expectJson(await t.api(`/api/systems/${systemId}/events${qs}`), 200);
    events.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

/** A well-formed key in our format that no server issued. */
export const unknownWriteKey = `wk_0123456789abcdef_${'A'.repeat(43)}`;

/** A UUID no resource has. */
export const missingUuid = '01900000-0000-7000-8000-000000000000';

/**
 * Sends raw request head text over a socket and returns the response's status code. Used where
 * fetch would upload a body the server rightly refuses to read.
 */
export function rawStatus(url: string, head: string | Buffer): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no response; received ${JSON.stringify(received)}`));
    });
  });
}
