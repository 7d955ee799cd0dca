import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from './support/real-server';

// These run the *built* package (dist/), as a user's process would: `build` first.
const ESM = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const CJS = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixtures/short-lived.mjs', import.meta.url));
const CJS_SCRIPT = fileURLToPath(new URL('./fixtures/short-lived.cjs', import.meta.url));
const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

let server: RealServer;
beforeAll(async () => {
  if (!existsSync(ESM) || !existsSync(CJS)) throw new Error('packages/node-sdk/dist is missing: run `pnpm -C packages/node-sdk build` first');
  server = await startRealServer('postgres');
});
afterAll(async () => server?.close());

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(watchdog);
      resolve({ code, output, ms: Date.now() - started });
    }),
  );
}

describe('a short-lived process', () => {
  it('with flushAt 1 loses nothing and exits on its own once delivered', async () => {
    const system = await server.newSystem();
    const { code, output, ms } = await run(SCRIPT, { SDK_ENTRY: ESM, MODE: 'flushAt-1', WRITE_KEY: system.writeKey, HOST: server.url, COUNT: '7' });
    expect(output).toBe('');
    expect(code).toBe(0);
    // Idle keep-alive sockets must not hold the process open for their 30 s.
    expect(ms).toBeLessThan(5000);
    const stored = await system.stored();
    expect(stored.map((e) => (e.properties as { i: number }).i).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stored[0]!.context.library).toEqual({ name, version });
  });

  it('with a pending flushInterval stays alive until it has sent, then exits', async () => {
    const system = await server.newSystem();
    const { code, ms } = await run(SCRIPT, { SDK_ENTRY: ESM, MODE: 'interval', WRITE_KEY: system.writeKey, HOST: server.url, COUNT: '4' });
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(await system.stored()).toHaveLength(4);
  });

  it('closeAndFlush then process.exit(0) at once: every call is on the server', async () => {
    const system = await server.newSystem();
    const { code, output } = await run(SCRIPT, { SDK_ENTRY: ESM, MODE: 'close-then-exit', WRITE_KEY: system.writeKey, HOST: server.url, COUNT: '50' });
    expect(code).toBe(0);
    expect(JSON.parse(output)).toEqual({ delivered: 50, failed: 0, pending: 0 });
    const stored = await system.stored();
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((e) => e.messageId)).size).toBe(50);
  });

  it('from the CommonJS build too', async () => {
    const system = await server.newSystem();
    const { code, output } = await run(CJS_SCRIPT, { SDK_ENTRY: CJS, WRITE_KEY: system.writeKey, HOST: server.url, COUNT: '20' });
    expect(code).toBe(0);
    expect(JSON.parse(output)).toEqual({ delivered: 20, failed: 0, pending: 0 });
    expect(await system.stored()).toHaveLength(20);
  });

  it('with the server unreachable, closeAndFlush reports every call failed within its timeout and the process ends', async () => {
    // A port that was just free: connections are refused.
    const { code, output, ms } = await run(SCRIPT, { SDK_ENTRY: ESM, MODE: 'unreachable', WRITE_KEY: 'wk', HOST: 'http://127.0.0.1:9', COUNT: '3' });
    expect(code).toBe(0);
    const { summary, reasons } = JSON.parse(output.split('\n').find((l) => l.startsWith('{'))!);
    expect(summary).toEqual({ delivered: 0, failed: 3, pending: 0 });
    expect(reasons).toEqual(['aborted', 'aborted', 'aborted']);
    expect(ms).toBeLessThan(5000);
  });
});
