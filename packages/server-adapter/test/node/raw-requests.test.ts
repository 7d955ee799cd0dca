import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('memory');
});
afterAll(async () => server?.close());

/** Sends raw bytes on a fresh connection and returns the response text. */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

it.each(['///x', '//evil.example/v1/track', '///?%F4%8F%BF%B9'])('answers a request line of %s with a 4xx and keeps serving', async (target) => {
  const response = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  expect(response).toMatch(/^HTTP\/1\.1 4\d\d /);
  const alive = await fetch(`${server.url}/api/partners`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
  expect(alive.status).toBe(200);
});
