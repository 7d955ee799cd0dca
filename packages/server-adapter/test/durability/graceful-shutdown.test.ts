import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer } from '../support/spawn-server';
import { basic } from '../support/test-server';

const TOKEN = 'graceful-admin-token-0123';

/** POSTs over keep-alive; resolves with the status, or the connection error's code. */
function post(url: URL, agent: Agent, path: string, headers: Record<string, string>, body: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url.origin + path, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

it('on SIGTERM under load: finishes accepted requests, stores every acknowledged event and exits 0', async () => {
  const database = await createFreshDatabase();
  const server = await spawnServer(['--database-url', database.url, '--admin-token', TOKEN, '--shutdown-timeout', '20000']);
  try {
    const url = new URL(server.url);
    const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"Graceful","email":"g@example.com"}' })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"web"}' })).json();
    const ingest = { authorization: basic(system.writeKey), 'content-type': 'application/json' };

    // A request whose body dribbles in across the signal: accepted before, completed after.
    const slowIds = Array.from({ length: 5 }, (_, i) => `slow-${i}`);
    const slowBody = JSON.stringify({ batch: slowIds.map((messageId) => ({ type: 'track', userId: 'slow', event: 'Slow', messageId })) });
    const slow = connect(Number(url.port), url.hostname);
    let slowAnswer = '';
    slow.on('data', (chunk) => (slowAnswer += chunk.toString()));
    const slowClosed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(
      `POST /v1/batch HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: ${ingest.authorization}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(slowBody)}\r\n\r\n${slowBody.slice(0, 40)}`,
    );

    const acknowledged: string[] = [];
    const outcomes = new Map<number | string, number>();
    let stopping = false;
    let next = 0;
    const loop = async (agent: Agent) => {
      for (let failures = 0; failures < 3; ) {
        const ids = Array.from({ length: 20 }, () => `load-${next++}`);
        const body = JSON.stringify({ batch: ids.map((messageId) => ({ type: 'track', userId: 'u', event: 'Load', messageId })) });
        const outcome = await post(url, agent, '/v1/batch', ingest, body);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (outcome === 200) acknowledged.push(...ids);
        else if (stopping) failures++;
      }
    };
    const agents = Array.from({ length: 8 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const load = Promise.all(agents.map(loop));

    await new Promise((r) => setTimeout(r, 1500));
    stopping = true;
    const exited = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // Written, not ended: a client that half-closes its socket is treated as gone by node:http.
    slow.write(slowBody.slice(40));
    await slowClosed;
    const exitCode = await exited;
    await load;
    agents.forEach((a) => a.destroy());

    expect(exitCode, server.output()).toBe(0);
    expect(slowAnswer).toMatch(/^HTTP\/1\.1 200 /);
    expect(slowAnswer.toLowerCase()).toContain('connection: close');
    expect(acknowledged.length).toBeGreaterThan(1000);
    // Nothing answered with an error: requests either completed or never reached a listening server.
    expect([...outcomes.keys()].filter((o) => typeof o === 'number' && o !== 200)).toEqual([]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('select message_id from write_model.tracking_events');
    await client.end();
    const stored = new Set(rows.map((r) => r.message_id as string));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(slowIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(server.output()).toContain('"msg":"stopped"');
  } finally {
    await server.stop('SIGKILL');
    await database.drop();
  }
}, 60_000);
