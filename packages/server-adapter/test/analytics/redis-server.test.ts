import { expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer } from '../support/spawn-server';

it.each([
  ['reachable', 'redis://127.0.0.1:6379'],
  ['away', 'redis://127.0.0.1:1'],
])('serves analytics with Redis %s', async (_state, redisUrl) => {
  const database = await createFreshDatabase();
  const server = await spawnServer(['--database-url', database.url, '--admin-token', 'redis-admin-token', '--redis-url', redisUrl]);
  try {
    const admin = { authorization: 'Bearer redis-admin-token', 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"R","email":"r@e.co"}' })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/api/systems/${system.id}/stats/timeseries`, { headers: admin });
      expect(response.status).toBe(200);
    }
  } finally {
    await server.stop();
    await database.drop();
  }
});

it('refuses a REDIS_URL that is not a redis:// URL, naming it', async () => {
  const error = await spawnServer([], { REDIS_URL: 'http://localhost:6379' }).catch((e: { output: string }) => e);
  expect((error as { output: string }).output).toContain('--redis-url / REDIS_URL');
});
