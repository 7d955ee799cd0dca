import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { freePort, hasRedisServer, startRedis, stopRedis } from '../../../core/test/support/private-redis';
import { spawnServer, type ServerProcess } from '../support/spawn-server';
import { basic } from '../support/test-server';

// Two server processes sharing one database and a Redis of their own, which this test stops: the
// shared one other tests use must not go away under them.
const TOKEN = 'redis-outage-admin-token';
const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
let database: Awaited<ReturnType<typeof createFreshDatabase>>;
let redis: ChildProcess | null = null;
let redisPort: number;
const servers: ServerProcess[] = [];

describe.runIf(hasRedisServer)('two servers sharing a Redis of their own', () => {
  beforeAll(async () => {
    database = await createFreshDatabase();
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    for (let i = 0; i < 2; i++) {
      servers.push(await spawnServer(['--database-url', database.url, '--admin-token', TOKEN, '--redis-url', `redis://127.0.0.1:${redisPort}`]));
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (redis) await stopRedis(redis);
    await database?.drop();
  });

  const send = (server: ServerProcess, key: string, event: string) =>
    fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basic(key), 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u1', event }),
    });

  it('stops a key revoked through one server on the other within a second, and both serve on when Redis goes away', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const partner = await (await fetch(`${a.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"R","email":"r@e.co"}' })).json();
    const system = await (await fetch(`${a.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
    // b looks the key up here and keeps it for its credential cache's 1 s.
    const cachedAt = Date.now();
    expect((await send(b, system.writeKey, 'before revocation')).status).toBe(200);

    const revoked = await fetch(`${a.url}/api/systems/${system.id}/keys/${system.writeKeyId}`, { method: 'DELETE', headers: admin });
    expect(revoked.status).toBe(204);
    const revokedAt = Date.now();
    let acceptedAfterRevocation = 0;
    for (let status = 0; status !== 401; ) {
      status = (await send(b, system.writeKey, 'after revocation')).status;
      if (status === 200) acceptedAfterRevocation++;
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      if (status !== 401) await new Promise((r) => setTimeout(r, 20));
    }
    // Well before b's cached entry would have expired: only a's message through Redis explains the 401.
    expect(Date.now() - cachedAt).toBeLessThan(800);

    const issued = await fetch(`${a.url}/api/systems/${system.id}/keys`, { method: 'POST', headers: admin, body: '{"kind":"write"}' });
    const { key } = (await issued.json()) as { key: string };
    await stopRedis(redis!);
    redis = null;
    // Ingestion, analytics and readiness go on without Redis on both servers; readiness says degraded.
    for (const server of [a, b]) {
      for (let i = 0; i < 5; i++) expect((await send(server, key, 'without redis')).status).toBe(200);
      const top = await fetch(`${server.url}/api/systems/${system.id}/stats/top-events`, { headers: admin });
      expect(top.status).toBe(200);
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });
    }
    // Every acknowledged event is stored: one before the revocation, any b took before the message
    // reached it, ten while Redis was away.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('select event, count(*)::int as n from write_model.tracking_events group by event order by event');
      expect(rows).toEqual([
        ...(acceptedAfterRevocation > 0 ? [{ event: 'after revocation', n: acceptedAfterRevocation }] : []),
        { event: 'before revocation', n: 1 },
        { event: 'without redis', n: 10 },
      ]);
    } finally {
      await client.end();
    }

    // Redis back on the same port: both servers reconnect, say ready, and share answers through it again.
    redis = await startRedis(redisPort);
    for (const server of [a, b]) {
      let status = '';
      for (let i = 0; i < 100 && status !== 'ready'; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        status = ((await (await fetch(`${server.url}/health/ready`)).json()) as { status: string }).status;
      }
      expect(status).toBe('ready');
      expect((await fetch(`${server.url}/api/systems/${system.id}/stats/top-events`, { headers: admin })).status).toBe(200);
    }
    const cli = new Redis(`redis://127.0.0.1:${redisPort}`);
    try {
      expect(await cli.keys(`*answer:${system.id}:*`)).not.toHaveLength(0);
    } finally {
      cli.disconnect();
    }
  }, 60_000);
});
