import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const token = 'example-admin-token-0123';

it('serves its own route and stores an event sent through /collect/v1/track', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vt-example-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: appDir,
    env: { ...process.env, PORT: String(port), VOLCANION_DATA_DIR: join(dir, 'data'), VOLCANION_ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
      child.once('exit', (code) => reject(new Error(`example exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/`)).text()).toBe('Hello from the host app\n');
    const admin = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const partner = await (await fetch(`${base}/collect/api/partners`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Example', email: 'e@example.com' }) })).json();
    const system = await (await fetch(`${base}/collect/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'site' }) })).json();
    const sent = await fetch(`${base}/collect/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${system.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anonymousId: 'anon-1', event: 'Viewed Pricing' }),
    });
    expect(sent.status).toBe(200);
    const events = await (await fetch(`${base}/collect/api/systems/${system.id}/events`, { headers: admin })).json();
    expect(events.data.map((e: { event: string }) => e.event)).toEqual(['Viewed Pricing']);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
