import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { expectTrackingRoundTrip, withExampleApp, type ExampleStorage } from '../../test-support/example-app';

const appDir = fileURLToPath(new URL('..', import.meta.url));

it.each<ExampleStorage>(['pglite', 'postgres'])('serves its own routes and stores an event sent through /collect/v1/track (%s)', (storage) =>
  withExampleApp(appDir, storage, async ({ base, stdout }) => {
    expect(await (await fetch(`${base}/`)).text()).toBe('Hello from the Fastify app\n');
    // Fastify's own JSON parser and schema still work outside the plugin.
    const note = await fetch(`${base}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'buy milk' }) });
    expect(note.status).toBe(201);
    expect(await note.json()).toEqual({ id: 1, text: 'buy milk' });
    expect((await fetch(`${base}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    await expectTrackingRoundTrip(base);
    // Fastify's logger is on (JSON lines on stdout), and it is the one the tracking handler was given.
    expect(stdout()).toMatch(/"url":"\/collect\/v1\/track"/);
  }),
  // PGlite creates its data directory on the first start, which takes a while on two cores.
  90_000,
);
