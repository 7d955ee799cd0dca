import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from '../../../core/test/support/fresh-postgres';
import { createHandler, type HealthOptions } from '../../src';
import { startTestServer, type TestServer } from '../support/test-server';

async function health(t: TestServer, which: 'live' | 'ready'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/health/${which}`);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return { status: res.status, body: await res.json() };
}

async function adminQuery(sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('health on PostgreSQL', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('postgres');
  });
  afterAll(() => t.close());

  it('is live and ready, with each check reported', async () => {
    expect(await health(t, 'live')).toEqual({ status: 200, body: { status: 'alive' } });
    const ready = await health(t, 'ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { shutdown: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up', pending: [] } },
    });
  });

  it('is not ready while a migration is pending, and names it', async () => {
    const url = t.databaseUrl!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('select name from write_model.kysely_migration order by name desc limit 1');
    const last = rows[0].name as string;
    await client.query('delete from write_model.kysely_migration where name = $1', [last]);
    try {
      const ready = await health(t, 'ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.migrations).toEqual({ status: 'down', pending: [last] });
      expect((await health(t, 'live')).status).toBe(200);
    } finally {
      await client.query(`insert into write_model.kysely_migration (name, timestamp) values ($1, $2)`, [last, new Date().toISOString()]);
      await client.end();
    }
    expect((await health(t, 'ready')).status).toBe(200);
  });

  it('is not ready while the database refuses connections, stays live, and recovers by itself', async () => {
    const databaseName = new URL(t.databaseUrl!).pathname.slice(1);
    await adminQuery(`alter database ${databaseName} with allow_connections false`);
    try {
      await adminQuery('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName]);
      const ready = await health(t, 'ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('unavailable');
      expect(ready.body.checks.database).toMatchObject({ status: 'down', error: 'unreachable' });
      // The public answer summarises; PostgreSQL's message (with the database's name) stays in the log.
      expect(JSON.stringify(ready.body)).not.toContain(databaseName);
      expect((await health(t, 'live')).status).toBe(200);
    } finally {
      await adminQuery(`alter database ${databaseName} with allow_connections true`);
    }
    expect((await health(t, 'ready')).status).toBe(200);
  });
});

describe('health with Redis', () => {
  it('checks Redis when one is configured; without it the instance stays ready, degraded, and serves', async () => {
    const up = await startTestServer('memory', { redisUrl: 'redis://127.0.0.1:6379' });
    try {
      // The Redis connection comes up a moment after start.
      let ready = await health(up, 'ready');
      for (let i = 0; i < 40 && ready.body.checks.redis?.status !== 'up'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        ready = await health(up, 'ready');
      }
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { redis: { status: 'up' } } } });
    } finally {
      await up.close();
    }
    // Nothing listens on port 1: Redis is "down" from the start. Every instance shares one Redis, so
    // answering 503 here would take them all out of the load balancer while they can still serve.
    const down = await startTestServer('memory', { redisUrl: 'redis://127.0.0.1:1' });
    try {
      const ready = await health(down, 'ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.checks.redis).toMatchObject({ status: 'down' });
      expect((await down.api('/api/partners')).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('health with checks of the embedding app', () => {
  it('is not ready while a required check fails, and degraded while an optional one does', async () => {
    let required = true;
    let optional = true;
    const platform = createPlatform({ storage: createMemoryStorage() });
    const handler = createHandler({
      platform,
      admin: await platform.setUpAdminToken('health-admin-token'),
      health: {
        checks: { queue: async () => (required ? 'ok' : Promise.reject(new Error('queue gone'))) },
        optionalChecks: { geoip: async () => (optional ? 'ok' : Promise.reject(new Error('geoip gone'))) },
      },
    });
    const ready = async () => {
      const res = await handler(new Request('http://x/health/ready'));
      return { status: res.status, body: await res.json() };
    };
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
    optional = false;
    expect(await ready()).toMatchObject({
      status: 200,
      body: { status: 'degraded', checks: { geoip: { status: 'down', error: 'unreachable' }, queue: { status: 'up' } } },
    });
    required = false;
    expect(await ready()).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { queue: { status: 'down' } } } });
    required = true;
    optional = true;
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('refuses a check name that is both required and optional, or that would hide a built-in check', async () => {
    const platform = createPlatform({ storage: createMemoryStorage() });
    const admin = await platform.setUpAdminToken('health-names-admin-token');
    const make = (health: HealthOptions) => () => createHandler({ platform, admin, health });
    const check = async () => 'ok';
    expect(make({ checks: { queue: check }, optionalChecks: { queue: check } })).toThrow(
      /"queue" is named in both health.checks and health.optionalChecks/,
    );
    expect(make({ optionalChecks: { database: check } })).toThrow(/"database" is a built-in readiness check/);
    expect(make({ checks: { migrations: check } })).toThrow(/"migrations" is a built-in/);
    expect(make({ checks: { queue: check }, optionalChecks: { geoip: check } })).not.toThrow();
  });
});

describe('health while shutting down', () => {
  it('reports not ready during the shutdown delay while still serving, then stops listening', async () => {
    const t = await startTestServer('memory', { shutdownDelayMs: 1500 });
    const closed = t.close();
    await new Promise((r) => setTimeout(r, 100));
    const ready = await health(t, 'ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.shutdown).toEqual({ status: 'down' });
    expect((await health(t, 'live')).status).toBe(200);
    expect((await t.api('/api/partners')).status).toBe(200);
    await closed;
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  });
});
