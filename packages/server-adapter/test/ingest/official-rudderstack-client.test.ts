import Analytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

it('takes the official @rudderstack/rudder-sdk-node client, unmodified (gzip, form content type), exactly once', async () => {
  const { systemId, writeKey } = await server.newSystem();
  const errors: unknown[] = [];
  const client = new Analytics(writeKey, { dataPlaneUrl: server.url, flushAt: 5, flushInterval: 100, logLevel: 'error', errorHandler: (e) => errors.push(e) });
  client.identify({ userId: 'user-1', traits: { plan: 'pro' } });
  for (let i = 0; i < 7; i++) client.track({ userId: 'user-1', event: 'Rudder Event', properties: { i } });
  client.page({ userId: 'user-1', name: 'Home' });
  client.group({ userId: 'user-1', groupId: 'org-1' });
  client.alias({ userId: 'user-1', previousId: 'anon-1' });
  await client.flush();
  await new Promise<void>((resolve, reject) => client.flush((error) => (error ? reject(error) : resolve())));
  expect(errors).toEqual([]);

  const body = await (await server.api(`/api/systems/${systemId}/events?limit=100`)).json();
  const stored = body.data as { type: string; messageId: string; context: { library?: { name?: string } } }[];
  expect(stored).toHaveLength(11);
  expect(new Set(stored.map((e) => e.messageId)).size).toBe(11);
  expect(stored.filter((e) => e.type === 'track')).toHaveLength(7);
  expect(stored[0]!.context.library?.name).toBe('analytics-node');
});
