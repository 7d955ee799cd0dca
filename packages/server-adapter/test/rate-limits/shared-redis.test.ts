import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer, type ServerProcess } from '../support/spawn-server';
import { basic } from '../support/test-server';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'shared-redis-admin-token';
// Other runs use this Redis at the same time: our own prefix keeps their buckets (and address buckets) apart.
const prefix = `vt-test-${randomBytes(4).toString('hex')}:`;
let database: Awaited<ReturnType<typeof createFreshDatabase>>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createFreshDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await database?.drop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

async function ready(server: ServerProcess): Promise<void> {
  // Until its Redis connection is up a server admits everything (fail open); wait for it.
  for (let i = 0; i < 100; i++) {
    const body = await (await fetch(`${server.url}/health/ready`)).json();
    if (body.checks?.redis?.status === 'up') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never reached Redis');
}

const track = (i: number) => JSON.stringify({ userId: 'u', event: 'Shared', messageId: `shared-${i}` });

it('gives a write key one budget across two server processes that share Redis', async () => {
  const args = ['--database-url', database.url, '--admin-token', TOKEN, '--redis-url', REDIS_URL, '--redis-prefix', prefix, '--ingest-rate-limit', '0.2:10'];
  for (let i = 0; i < 2; i++) servers.push(await spawnServer(args));
  await Promise.all(servers.map(ready));
  const [a, b] = servers as [ServerProcess, ServerProcess];
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${a.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"Shared","email":"s@e.co"}' })).json();
  const system = await (await fetch(`${a.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();

  const headers = { authorization: basic(system.writeKey), 'content-type': 'application/json' };
  // Twenty requests at once, alternating between the instances: exactly the burst of ten gets in.
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${(i % 2 ? a : b).url}/v1/track`, { method: 'POST', headers, body: track(i) })));
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  const refused = responses.find((r) => r.status === 429)!;
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(refused.headers.get('ratelimit-limit')).toBe('10');

  const events = await (await fetch(`${b.url}/api/systems/${system.id}/events?limit=100`, { headers: admin })).json();
  expect(events.data).toHaveLength(10);
});

it('keeps serving, without limits, when its Redis is away', async () => {
  const server = await spawnServer(['--database-url', database.url, '--admin-token', TOKEN, '--redis-url', 'redis://127.0.0.1:1', '--ingest-rate-limit', '0.2:1']);
  servers.push(server);
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"Away","email":"a@e.co"}' })).json();
  expect(partner.id).toBeTruthy();
  const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
  const headers = { authorization: basic(system.writeKey), 'content-type': 'application/json' };
  for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/v1/track`, { method: 'POST', headers, body: track(100 + i) })).status).toBe(200);
  expect(server.output()).toContain('rate limits are not enforced');
});
