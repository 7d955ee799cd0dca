import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer, type ServerProcess } from '../support/spawn-server';
import { basic } from '../support/test-server';

const TOKEN = 'single-projector-token';
const PROJECTOR_LOCK = 7_307_110_128n;
let database: Awaited<ReturnType<typeof createFreshDatabase>>;
let client: pg.Client;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createFreshDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await client?.end();
  await database?.drop();
});

/**
 * Backend pids holding the projector's advisory lock in this test's database (a bigint key is split into
 * classid/objid); other tests' servers hold the same lock in their own databases at the same time.
 */
async function lockHolders(): Promise<number[]> {
  const { rows } = await client.query(
    `select pid from pg_locks where locktype = 'advisory' and granted
       and database = (select oid from pg_database where datname = current_database())
       and classid = $1::bigint::oid and objid = $2::bigint::oid`,
    [String(PROJECTOR_LOCK >> 32n), String(PROJECTOR_LOCK & 0xffffffffn)],
  );
  return rows.map((r) => r.pid as number);
}

/** The OS process on the other end of a PostgreSQL backend's connection. */
async function processOfBackend(backendPid: number): Promise<number> {
  const { rows } = await client.query('select client_port from pg_stat_activity where pid = $1', [backendPid]);
  const port = rows[0].client_port as number;
  const line = execFileSync('ss', ['-Htnp', 'sport', '=', `:${port}`], { encoding: 'utf8' });
  return Number(/pid=(\d+)/.exec(line)![1]);
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('runs the projector in exactly one of two server processes, and the other takes over when it dies', async () => {
  for (let i = 0; i < 2; i++) servers.push(await spawnServer(['--database-url', database.url, '--admin-token', TOKEN]));
  const holders = await waitFor(lockHolders, (h) => h.length > 0, 'a projector to take the lease');
  await new Promise((r) => setTimeout(r, 500));
  expect(await lockHolders()).toEqual(holders);
  expect(holders).toHaveLength(1);

  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${servers[0]!.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"P","email":"p@e.co"}' })).json();
  const system = await (await fetch(`${servers[0]!.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
  const send = (url: string, id: string) =>
    fetch(`${url}/v1/track`, { method: 'POST', headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u', event: 'E', messageId: id }) });
  const projected = async () => (await (await fetch(`${servers[1]!.url}/api/projection`, { headers: admin })).json()).projectedEvents as number;
  expect((await send(servers[0]!.url, 'before')).status).toBe(200);
  await waitFor(projected, (n) => n === 1, 'the first event to be projected');

  // Kill whichever process holds the lease; the survivor must take over and keep projecting.
  const holderPid = await processOfBackend(holders[0]!);
  const holder = servers.find((s) => s.child.pid === holderPid)!;
  const survivor = servers.find((s) => s !== holder)!;
  await holder.stop('SIGKILL');
  expect((await send(survivor.url, 'after')).status).toBe(200);
  const survivorProjected = async () => (await (await fetch(`${survivor.url}/api/projection`, { headers: admin })).json()).projectedEvents as number;
  await waitFor(survivorProjected, (n) => n === 2, 'the survivor to take over projecting');
  expect(await lockHolders()).toHaveLength(1);
});
