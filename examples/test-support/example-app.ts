// Shared by the example apps' tests: start an example's `server.mjs` as a real process, drive the
// tracking API mounted under /collect, and give it a fresh PostgreSQL database when asked.
// Plain TypeScript imported relatively; not a workspace package.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';

/** The local server every developer machine and CI has (trust auth). */
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const ADMIN_TOKEN = 'example-admin-token-0123';

/** Which storage the example runs on: PGlite in a temporary data dir, or a fresh PostgreSQL database. */
export type ExampleStorage = 'pglite' | 'postgres';

/** A running example app. */
export interface RunningExample {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Everything the process printed on stdout so far. */
  stdout(): string;
}

/**
 * Spawns `node server.mjs` in `appDir` with a free PORT, a temporary data dir and an admin token
 * (plus DATABASE_URL on a fresh database for `postgres`), runs `fn`, then sends SIGTERM and expects a
 * clean exit. The database is dropped and the data dir removed afterwards.
 */
export async function withExampleApp(appDir: string, storage: ExampleStorage, fn: (app: RunningExample) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vt-example-'));
  const dataDir = join(dir, 'data');
  const database = storage === 'postgres' ? await createExampleDatabase() : null;
  const port = await freePort();
  let output = '';
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, ['server.mjs'], {
      cwd: appDir,
      env: {
        ...process.env,
        PORT: String(port),
        VOLCANION_DATA_DIR: dataDir,
        VOLCANION_ADMIN_TOKEN: ADMIN_TOKEN,
        DATABASE_URL: database?.url ?? '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('listening on')) resolve();
      });
      void exited.then((code) => reject(new Error(`example exited with ${code} before listening:\n${output}`)));
    });
    await fn({ base: `http://127.0.0.1:${port}`, stdout: () => output });
    child.kill('SIGTERM');
    // Graceful close: the server, then the platform, then exit 0.
    expect(await exited).toBe(0);
    if (database) {
      expect(existsSync(dataDir), 'with DATABASE_URL nothing is written to the PGlite data dir').toBe(false);
      expect(await database.countTrackingEvents()).toBeGreaterThan(0);
    } else {
      expect(existsSync(dataDir), 'PGlite stores in VOLCANION_DATA_DIR').toBe(true);
    }
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The tracking round trip through the mount: a partner and a system through `/collect/api/...`, an
 * event through `/collect/v1/track` with the write key as Basic auth, read back through
 * `/collect/api/systems/:id/events`.
 */
export async function expectTrackingRoundTrip(base: string, event = 'Viewed Pricing'): Promise<void> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const partnerResponse = await fetch(`${base}/collect/api/partners`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Example', email: 'e@example.com' }) });
  expect(partnerResponse.status).toBe(201);
  const partner = await partnerResponse.json();
  const systemResponse = await fetch(`${base}/collect/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'site' }) });
  expect(systemResponse.status).toBe(201);
  const system = await systemResponse.json();
  const sent = await fetch(`${base}/collect/v1/track`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${system.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ anonymousId: 'anon-1', event }),
  });
  expect(sent.status).toBe(200);
  const events = await (await fetch(`${base}/collect/api/systems/${system.id}/events`, { headers: admin })).json();
  expect(events.data.map((e: { event: string }) => e.event)).toEqual([event]);
}

/** A database of its own, `vt_example_<random>`, on the local PostgreSQL server. */
async function createExampleDatabase(): Promise<{ url: string; drop(): Promise<void>; countTrackingEvents(): Promise<number> }> {
  const name = `vt_example_${randomBytes(6).toString('hex')}`;
  await onServer(POSTGRES_ADMIN_URL, (client) => client.query(`create database ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(POSTGRES_ADMIN_URL, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
    countTrackingEvents: () =>
      onServer(url.toString(), (client) => client.query<{ n: string }>('select count(*) as n from write_model.tracking_events')).then((r) => Number(r.rows[0]!.n)),
  };
}

async function onServer<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
