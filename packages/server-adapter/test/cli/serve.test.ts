import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { basic } from '../support/test-server';
import { spawn } from 'node:child_process';
import { BIN, runCli, spawnServer, type ServerProcess } from '../support/spawn-server';
import { InvalidSettingError, serverSettingSpecs } from '../../src/config/server-settings';
import { startServer } from '../../src/server/start-server';

describe('volcanion-tracking serve (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vt-cli-'));
  const dataDir = join(dir, 'data');
  const started: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates an admin token once, keeps events across a restart, and refuses a second process on the directory', async () => {
    const first = await spawnServer(['--data-dir', dataDir]);
    started.push(first);
    const token = /vt_admin_[A-Za-z0-9_-]{43}/.exec(first.output())?.[0];
    expect(token).toBeDefined();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const admin = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const partner = await (await fetch(`${first.url}/api/partners`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Acme', email: 'ops@acme.test' }) })).json();
    const system = await (await fetch(`${first.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'web' }) })).json();
    const sent = await fetch(`${first.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-1', event: 'Signed Up', messageId: 'cli-1', properties: { plan: 'pro' } }),
    });
    expect(sent.status).toBe(200);

    const second = await spawnServer(['--data-dir', dataDir]).then(
      (s) => {
        started.push(s);
        return { code: 0, output: s.output() };
      },
      (error: { code: number | null; output: string }) => error,
    );
    expect(second.code).toBe(1);
    expect(second.output).toContain('is in use by process');

    expect(await first.stop('SIGTERM')).toBe(0);

    const again = await spawnServer(['--data-dir', dataDir]);
    started.push(again);
    expect(again.output()).not.toContain('vt_admin_');
    const events = await (await fetch(`${again.url}/api/systems/${system.id}/events`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(events.data).toHaveLength(1);
    expect(events.data[0]).toMatchObject({ messageId: 'cli-1', type: 'track', event: 'Signed Up', userId: 'u-1', properties: { plan: 'pro' } });
    expect(await again.stop('SIGINT')).toBe(0);
  });

  it('takes the admin token from VOLCANION_ADMIN_TOKEN and the port from PORT', async () => {
    const port = await freePort();
    const server = await spawnServer(['--data-dir', join(dir, 'env')], { VOLCANION_ADMIN_TOKEN: 'configured-admin-token-123', PORT: String(port) });
    started.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(server.output()).not.toContain('vt_admin_');
    const ok = await fetch(`${server.url}/api/partners`, { headers: { authorization: 'Bearer configured-admin-token-123' } });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${server.url}/api/partners`, { headers: { authorization: 'Bearer something-else-entirely' } });
    expect(wrong.status).toBe(401);
    await server.stop();
  });

  it('exits with a message naming a bad setting', async () => {
    const badPort = await runCli(['serve', '--port', 'eighty'], { VOLCANION_DATA_DIR: join(dir, 'bad') });
    expect(badPort.code).toBe(1);
    expect(badPort.output).toContain('--port / PORT');
    const badUrl = await runCli(['serve'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.output).toContain('--database-url / DATABASE_URL');
    const unknown = await runCli(['serve', '--colour', 'red']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/colour/);
  });

  it('lists every option in --help, with its flag, environment variable and default', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const spec of Object.values(serverSettingSpecs)) {
      const line = help.output.split('\n').find((l) => l.includes(`${spec.flag} `) || l.trimEnd().endsWith(spec.flag));
      expect(line, `${spec.flag} is missing from --help`).toBeDefined();
      expect(help.output).toContain(spec.env);
      if ('default' in spec && spec.default) expect(help.output).toContain(spec.default);
    }
  });

  it('names the flag and the variable of every kind of bad setting', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['serve', '--log-format', 'xml'], {}, '--log-format / VOLCANION_LOG_FORMAT'],
      [['serve'], { VOLCANION_METRICS: 'sometimes' }, '--metrics / VOLCANION_METRICS'],
      [['serve', '--shutdown-timeout', 'soon'], {}, '--shutdown-timeout / VOLCANION_SHUTDOWN_TIMEOUT_MS'],
      [['serve', '--log-level', 'loud'], {}, '--log-level / LOG_LEVEL'],
    ];
    for (const [args, env, named] of cases) {
      const run = await runCli(args, { VOLCANION_DATA_DIR: join(dir, 'never-opened'), ...env });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain(named);
      expect(run.output).not.toMatch(/\n\s+at /);
    }
  });
});

describe('startServer settings', () => {
  it('rejects a bad setting passed in code with the same message, before opening anything', async () => {
    await expect(startServer({ port: 70000 })).rejects.toThrow(InvalidSettingError);
    await expect(startServer({ metrics: 'loud' as never })).rejects.toThrow(/--metrics \/ VOLCANION_METRICS/);
  });
});

describe('volcanion-tracking serve (PostgreSQL)', () => {
  it('logs JSON lines to a pipe at the chosen level: probes only at debug', async () => {
    const { createFreshDatabase } = await import('../../../core/test/support/fresh-postgres');
    const database = await createFreshDatabase();
    const quiet = await spawnServer(['--database-url', database.url, '--admin-token', 'configured-admin-token-123']);
    const chatty = await spawnServer(['--database-url', database.url, '--admin-token', 'configured-admin-token-123', '--log-level', 'debug']);
    try {
      for (const server of [quiet, chatty]) {
        expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
        expect((await fetch(`${server.url}/api/partners`, { headers: { authorization: 'Bearer configured-admin-token-123' } })).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 200));
      const lines = (server: ServerProcess) => server.output().trim().split('\n').map((line) => JSON.parse(line));
      const routes = (server: ServerProcess) => lines(server).filter((l) => l.msg === 'request completed').map((l) => l.route);
      expect(routes(quiet)).toEqual(['/api/partners']);
      expect(routes(chatty)).toEqual(['/health/live', '/api/partners']);
    } finally {
      await Promise.all([quiet.stop(), chatty.stop()]);
      await database.drop();
    }
  });

  it('logs readable lines, not JSON, when stdout is a terminal', async () => {
    const { createFreshDatabase } = await import('../../../core/test/support/fresh-postgres');
    const database = await createFreshDatabase();
    // script(1) runs the server on a pseudo-terminal, as a person starting it by hand would.
    const command = [process.execPath, BIN, 'serve', '--port', '0', '--database-url', database.url, '--admin-token', 'configured-admin-token-123'].join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      for (let i = 0; i < 200 && !/listening on http/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toMatch(/INFO.*listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(output).not.toContain('{"level"');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await database.drop();
    }
  });

  it('stores on the PostgreSQL server a postgres:// URL names', async () => {
    const { createFreshDatabase } = await import('../../../core/test/support/fresh-postgres');
    const database = await createFreshDatabase();
    const server = await spawnServer([], { DATABASE_URL: database.url, VOLCANION_ADMIN_TOKEN: 'configured-admin-token-123' });
    try {
      expect(server.output()).toContain('"storage":"postgres"');
      const created = await fetch(`${server.url}/api/partners`, {
        method: 'POST',
        headers: { authorization: 'Bearer configured-admin-token-123', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Pg', email: 'pg@example.com' }),
      });
      expect(created.status).toBe(201);
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('select name from write_model.partners');
      await client.end();
      expect(rows).toEqual([{ name: 'Pg' }]);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
