import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { expectTrackingRoundTrip, withExampleApp, type ExampleStorage } from '../../test-support/example-app';

const appDir = fileURLToPath(new URL('..', import.meta.url));

it.each<ExampleStorage>(['pglite', 'postgres'])('serves its own routes and stores an event sent through /collect/v1/track (%s)', (storage) =>
  withExampleApp(appDir, storage, async ({ base }) => {
    expect(await (await fetch(`${base}/`)).text()).toBe('Hello from the Koa app\n');
    expect(await (await fetch(`${base}/api/visits`)).json()).toEqual({ visits: 1 });
    await expectTrackingRoundTrip(base);
    // A path under /collect that is no tracking route goes on to the next middleware: Koa's 404.
    expect((await fetch(`${base}/collect/nothing-here`)).status).toBe(404);
  }),
  // PGlite creates its data directory on the first start, which takes a while on two cores.
  90_000,
);
