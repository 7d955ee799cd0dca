import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { expectTrackingRoundTrip, withExampleApp, type ExampleStorage } from '../../test-support/example-app';

const appDir = fileURLToPath(new URL('..', import.meta.url));

it.each<ExampleStorage>(['pglite', 'postgres'])('serves its own routes and stores an event sent through /collect/v1/track (%s)', (storage) =>
  withExampleApp(appDir, storage, async ({ base }) => {
    expect(await (await fetch(`${base}/`)).text()).toBe('Hello from the Hono app\n');
    const note = await fetch(`${base}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'buy milk' }) });
    expect(note.status).toBe(201);
    expect(await note.json()).toEqual({ id: 1, text: 'buy milk' });
    await expectTrackingRoundTrip(base);
  }),
  // PGlite creates its data directory on the first start, which takes a while on two cores.
  90_000,
);
