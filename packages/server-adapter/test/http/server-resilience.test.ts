import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer, type ServerProcess } from '../support/spawn-server';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/test-server';
import { expectJson, expectProblem } from './helpers';

// Faults that take the whole process down cannot be provoked in the test worker's own server;
// these run against the built CLI in a child process over a database of its own.
let t: TestServer;
let database: Awaited<ReturnType<typeof createFreshDatabase>>;
beforeAll(async () => {
  t = await startTestServer();
  database = await createFreshDatabase();
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const oversized = (kib = 70) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < kib; i++) controller.enqueue(new Uint8Array(1024).fill(0x20));
      controller.close();
    },
  });

describe('a streamed body over the limit', () => {
  it('answers 413 in-process for POST /api/partners and keeps serving', async () => {
    const init = { method: 'POST', body: oversized(), duplex: 'half', headers: admin };
    await expectProblem(await t.api('/api/partners', init as RequestInit), 413, 'payload_too_large');
    await expectJson(await t.api('/api/partners'), 200);
  });

  // The handler stops reading mid-upload; the bridge once enqueued the buffered rest into the closed stream, an
  // uncaught TypeError ("Controller is already closed") that ended the server process.
  it('answers 413 to PATCH /api/partners/:id and the server stays up', async () => {
    let server: ServerProcess | undefined;
    try {
      server = await spawnServer(['--database-url', database.url, '--admin-token', ADMIN_TOKEN]);
      const created = await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"Acme","email":"a@b.co"}' });
      const partner = await expectJson(created, 201);
      // Several streamed uploads in a row on one keep-alive connection, each body arriving while the route looks the partner up.
      for (let i = 0; i < 10; i++) {
        const init = { method: 'PATCH', body: oversized(300), duplex: 'half', headers: admin };
        await expectProblem(await fetch(`${server.url}/api/partners/${partner.id}`, init as RequestInit), 413, 'payload_too_large');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.child.exitCode).toBeNull();
      await expectJson(await fetch(`${server.url}/api/partners`, { headers: admin }), 200);
    } finally {
      await server?.stop('SIGKILL');
    }
  });
});
